using Npgsql;
using Stepwise.Execution;
using Stepwise.PostgreSql.Internal;
using Stepwise.PostgreSql.Tests.Cli;
using Stepwise.PostgreSql.Tests.Migrations;
using Stepwise.Testing;
using static Stepwise.PostgreSql.Tests.Cli.StepwiseCli;

namespace Stepwise.PostgreSql.Tests.Lifecycle;

// A failing script names the statement the server refused, and its line, wherever the failure is told.
public sealed class FailedStatementTests(PostgresServer server)
{
    private const string Named = "Failed statement (3 of 4, line 4): INSERT INTO transfers VALUES (3, NULL)";

    [Fact]
    public async Task ScriptFailingInOneStatement_NamesItInTheErrorTheHistoryAndTheAuditLog()
    {
        await using var db = await server.CreateDatabaseAsync();
        await RunAsync(db, Ledger, "install", "--version", "1.1.0");

        var run = await RunAsync(db, LedgerWith(typeof(CreateTransfersFailingInItsScript)), "upgrade", "--version", "2.0.0");

        Assert.Equal(9, run.ExitCode);
        Assert.Contains("failed: PostgresException: 23502: null value in column \"amount\"", run.Error, StringComparison.Ordinal);
        Assert.Contains(Named + ". The step was rolled back", run.Error, StringComparison.Ordinal);
        Assert.Contains(Named, await db.ScalarAsync<string>("SELECT error FROM stepwise.migration_history WHERE status = 'failed'"), StringComparison.Ordinal);
        Assert.Contains(Named, await db.ScalarAsync<string>("SELECT message FROM stepwise.audit_log WHERE outcome = 'failed'"), StringComparison.Ordinal);
        Assert.False(await db.TableExistsAsync("transfers"));
    }

    [Fact]
    public async Task ErrorWithAPosition_NamesTheLineOfTheErrorInsideTheStatement()
    {
        await using var db = await server.CreateDatabaseAsync();
        await using var step = await OpenStepAsync(db, held: false);

        var failed = await Assert.ThrowsAsync<PostgresException>(() => step.Context.ExecuteAsync(
            "CREATE TABLE typos (id int, note text);\nUPDATE typos\n   SET nots = 'x'\n WHERE id = 1;\nSELECT 1", Cancel));

        Assert.Equal(PostgresErrorCodes.UndefinedColumn, failed.SqlState);
        var statement = FailedStatement.Of(failed);
        Assert.NotNull(statement);
        Assert.Equal((2, 3, 3), (statement.Number, statement.Count, statement.Line));
        Assert.Equal("UPDATE typos\n   SET nots = 'x'\n WHERE id = 1", statement.Text);
    }

    [Fact]
    public async Task StatementSentAfterHeldChecks_IsCountedAndPlacedInTheScriptAlone()
    {
        await using var db = await server.CreateDatabaseAsync();
        await RunAsync(db, Ledger, "install", "--version", "1.1.0");
        await using var step = await OpenStepAsync(db, held: true);
        await step.Context.RequireNoTableAsync("typos", Cancel);
        await step.Context.RequireTableAsync("accounts", Cancel);

        var failed = await Assert.ThrowsAsync<PostgresException>(() => step.Context.ExecuteAsync(
            "\n\n  SELECT nope FROM accounts;\nSELECT 1", Cancel));

        var statement = FailedStatement.Of(failed);
        Assert.NotNull(statement);
        Assert.Equal((1, 2, 3, "SELECT nope FROM accounts"), (statement.Number, statement.Count, statement.Line, statement.Text));
    }

    [Fact]
    public async Task OneStatementThroughDapper_IsNamed()
    {
        await using var db = await server.CreateDatabaseAsync();
        await using var step = await OpenStepAsync(db, held: false);

        var failed = await Assert.ThrowsAsync<PostgresException>(() => step.Context.ScalarAsync<int>("SELECT count(*)\nFROM no_such_table WHERE id = @id", new { id = 1 }, Cancel));

        var statement = FailedStatement.Of(failed);
        Assert.NotNull(statement);
        Assert.Equal((1, 1, 1), (statement.Number, statement.Count, statement.Line));
    }

    [Fact]
    public async Task StatementAfterAComment_IsShownAndPlacedFromItsCode()
    {
        await using var db = await server.CreateDatabaseAsync();
        await using var step = await OpenStepAsync(db, held: false);

        var failed = await Assert.ThrowsAsync<PostgresException>(() => step.Context.ExecuteAsync("SELECT 1;\n-- the check; it divides\n  SELECT 1 / 0", Cancel));

        var statement = FailedStatement.Of(failed);
        Assert.NotNull(statement);
        Assert.Equal((2, 3, "SELECT 1 / 0"), (statement.Number, statement.Line, statement.Text));
    }

    // The server ends the session (57P01) and Npgsql breaks the connection: its error is what the migration gets.
    [Fact]
    public async Task FatalErrorThatBreaksTheConnection_ReachesTheCallerAsItIs()
    {
        await using var db = await server.CreateDatabaseAsync();
        await using var step = await OpenStepAsync(db, held: false);

        var failed = await Assert.ThrowsAsync<PostgresException>(() => step.Context.ExecuteAsync("SELECT 1;\nSELECT pg_terminate_backend(pg_backend_pid())", Cancel));

        Assert.Equal(PostgresErrorCodes.AdminShutdown, failed.SqlState);
    }

    [Fact]
    public async Task Split_WithoutStandardConformingStrings_AgreesWithNpgsql()
    {
        const string Script = "SELECT 'a\\'; SELECT 2; SELECT 3'";
        await using var db = await server.CreateDatabaseAsync();
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(db.ConnectionString) { Options = "-c standard_conforming_strings=off" }.ConnectionString);
        await connection.OpenAsync(Cancel);
        await using var command = new NpgsqlCommand(Script, connection);

        await command.ExecuteNonQueryAsync(Cancel);

#pragma warning disable CS0618 // Npgsql's own cut, read as MigrationStatements reads it.
        Assert.Equal((1, 1), (command.Statements.Count, SqlStatements.Split(Script, standardConformingStrings: false).Count));
#pragma warning restore CS0618
        Assert.Equal(3, SqlStatements.Split(Script).Count);
    }

    // The cut must be Npgsql's: each script runs as one command, and Npgsql's count of its statements is compared.
    [Theory]
    [InlineData("SELECT 1")]
    [InlineData("SELECT 1;")]
    [InlineData("SELECT 1;  \n ")]
    [InlineData("SELECT 1; SELECT 2")]
    [InlineData("SELECT ';'; SELECT 'it''s; fine'")]
    [InlineData("SELECT $$;$$; SELECT $tag$ $$; $tag$; SELECT 1 AS a$b; SELECT 2")]
    [InlineData("SELECT 1 -- ; not an end\n; SELECT 2")]
    [InlineData("SELECT /* ; /* nested ; */ ; */ 1; SELECT 2")]
    [InlineData("SELECT E'\\';'; SELECT e'a\\'b;'\n  'c;'; SELECT 3")]
    [InlineData("SELECT \"a;b\" FROM (SELECT 1 AS \"a;b\") t; SELECT (SELECT 2)")]
    [InlineData("DO $do$ BEGIN PERFORM 1; END $do$; SELECT 2")]
    [InlineData("SELECT 1; -- a last comment")]
    [InlineData("SELECT 1 ::int; SELECT 'x' AS \"@y\"")]
    public async Task Split_AgreesWithNpgsql(string script)
    {
        await using var db = await server.CreateDatabaseAsync();
        await using var connection = new NpgsqlConnection(db.ConnectionString);
        await connection.OpenAsync(Cancel);
        await using var command = new NpgsqlCommand(script, connection);

        await command.ExecuteNonQueryAsync(Cancel);

#pragma warning disable CS0618 // Npgsql's own cut, read as MigrationStatements reads it.
        Assert.Equal(command.Statements.Count, SqlStatements.Split(script).Count);
#pragma warning restore CS0618
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    // A step's transaction on a connection set as the runner sets its own (Npgsql names the refused statement).
    private static Task<StepOnConnection> OpenStepAsync(TestDatabase db, bool held) =>
        StepOnConnection.OpenAsync(new NpgsqlConnectionStringBuilder(db.ConnectionString) { IncludeFailedBatchedCommand = true }.ConnectionString, held, Cancel);
}
