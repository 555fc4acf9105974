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
    public async Task StatementSentWithChecks_KeepsItsOwnAtSignsAndComments()
    {
        await using var db = await server.CreateDatabaseAsync();
        await using var step = await OpenStepAsync(db);

        // With the checks' parameters in the command, Npgsql reads the statement for @names: the absolute-value operator
        // on a column, jsonb containment, text search and an @word in a comment or a string must reach the server as written.
        await step.Context.RequireNoTableAsync("signs", Cancel);
        await step.Context.ExecuteAsync("""
            CREATE TABLE signs (y int, doc jsonb, note text); -- @y is a column, not a parameter
            INSERT INTO signs VALUES (-2, '{"a": 1}', 'mail @team');
            CREATE TABLE signs_read AS SELECT @y AS y, doc @> '{"a": 1}' AS contains, to_tsvector(note) @@ to_tsquery('team') AS found, note FROM signs;
            """, Cancel);

        Assert.Equal("2 True True mail @team", await step.Context.ScalarAsync<string>(
            "SELECT y || ' ' || initcap(contains::text) || ' ' || initcap(found::text) || ' ' || note FROM signs_read", Cancel));
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

        Assert.Equal("expected: table no_such_table exists; found: it does not", error.Message);
        Assert.Equal(("table no_such_table exists", "it does not"), (error.Expectation, error.Found));
        await step.Transaction.RollbackAsync(Cancel);
        Assert.Equal(identityBefore, await db.ScalarAsync<long?>("SELECT pg_sequence_last_value('accounts_id_seq')"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task FailingHelper_SaysWhatItExpectedAndWhatItFound(bool held)
    {
        await using var db = await server.CreateDatabaseAsync();
        await using var step = await OpenStepAsync(db, held);

        // Held or not, the check that fails among several is the one reported, with what it found.
        var error = await Assert.ThrowsAsync<MigrationCheckException>(async () =>
        {
            await step.Context.RequireTableAsync("accounts", Cancel);
            await step.Context.RequireNoTableAsync("accounts", Cancel);
            await step.Context.ExecuteAsync("SELECT 1", Cancel);
        });

        Assert.Equal("expected: table accounts does not exist yet; found: it exists", error.Message);
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    // A database with the runner's schema (stepwise.require) and the ledger's tables, and a step's transaction on it
    // whose context holds its checks back.
    private static async Task<StepOnConnection> OpenStepAsync(TestDatabase db, bool held = true)
    {
        var install = await RunAsync(db, Ledger, "install", "--version", "1.1.0");
        Assert.Equal(0, install.ExitCode);
        return await StepOnConnection.OpenAsync(db.ConnectionString, held, Cancel);
    }
}
