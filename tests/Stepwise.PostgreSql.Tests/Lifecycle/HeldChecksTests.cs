using Npgsql;
using Stepwise.Testing;
using static Stepwise.PostgreSql.Tests.Cli.StepwiseCli;

namespace Stepwise.PostgreSql.Tests.Lifecycle;

// The context's held-back Require… checks, sent in one command with the statement that follows them.
public sealed class HeldChecksTests(PostgresServer server)
{
    [Fact]
    public async Task StatementAfterChecksThatHold_RunsAndReturnsItsOwnRowCount()
    {
        await using var db = await server.CreateDatabaseAsync();
        await using var step = await OpenStepAsync(db);

        await step.Context.RequireNoTableAsync("held_rows", Cancel);
        await step.Context.RequireTableAsync("accounts", Cancel);
        var rows = await step.Context.ExecuteAsync("CREATE TABLE held_rows (id int); INSERT INTO held_rows SELECT generate_series(1, 3)", Cancel);

        Assert.Equal(3, rows);
        Assert.True(step.Context.DeferredChecks!.IsEmpty);
        Assert.Equal(3L, await step.Context.ScalarAsync<long>("SELECT count(*) FROM held_rows", Cancel));
    }

    [Fact]
    public async Task StatementAfterACheckThatFails_DoesNotRun()
    {
        await using var db = await server.CreateDatabaseAsync();
        await using var step = await OpenStepAsync(db);

        // A sequence is not rolled back: had the insert run, its identity would have moved on.
        var identityBefore = await db.ScalarAsync<long?>("SELECT pg_sequence_last_value('accounts_id_seq')");
        await step.Context.RequireTableAsync("no_such_table", Cancel);
        var error = await Assert.ThrowsAsync<MigrationCheckException>(() =>
            step.Context.ExecuteAsync("INSERT INTO accounts (name) VALUES ('never')", Cancel));

        Assert.Equal("table no_such_table exists", error.Message);
        await step.Transaction.RollbackAsync(Cancel);
        Assert.Equal(identityBefore, await db.ScalarAsync<long?>("SELECT pg_sequence_last_value('accounts_id_seq')"));
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    // A database with the runner's schema (stepwise.require) and the ledger's tables, and a step's transaction on it
    // whose context holds its checks back.
    private static async Task<Step> OpenStepAsync(TestDatabase db)
    {
        var install = await RunAsync(db, Ledger, "install", "--version", "1.1.0");
        Assert.Equal(0, install.ExitCode);
        var connection = new NpgsqlConnection(db.ConnectionString);
        await connection.OpenAsync(Cancel);
        var transaction = await connection.BeginTransactionAsync(Cancel);
        var context = new PostgresContext(connection, transaction, "ledger", environment: null, MigrationDirection.Up, "2.0.0");
        context.DeferChecks();
        return new Step(connection, transaction, context);
    }

    private sealed record Step(NpgsqlConnection Connection, NpgsqlTransaction Transaction, PostgresContext Context) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Transaction.DisposeAsync();
            await Connection.DisposeAsync();
        }
    }
}
