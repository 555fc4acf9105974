using Stepwise.PostgreSql.Tests.Cli;
using Stepwise.PostgreSql.Tests.Migrations;
using Stepwise.Testing;
using static Stepwise.PostgreSql.Tests.Cli.StepwiseCli;

namespace Stepwise.PostgreSql.Tests.Lifecycle;

public sealed class FailureTests(PostgresServer server)
{
    [Fact]
    public async Task FailingPreCheck_RefusesTheStepAndLeavesTheDatabaseAsItWas()
    {
        await using var db = await server.CreateDatabaseAsync();
        await RunAsync(db, Ledger, "install", "--version", "1.1.0");

        var run = await RunAsync(db, LedgerWith(typeof(CreateTransfersRefusedByPreCheck)), "upgrade", "--version", "2.0.0");

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("PreCheck of CreateTransfersRefusedByPreCheck (2.0.0/upgrade/schema-changes/1) failed: expected: the ledger is unfrozen (table ledger_unfrozen exists); found: it does not hold", run.Error, StringComparison.Ordinal);
        Assert.False(await db.TableExistsAsync("transfers"));
        Assert.Equal("1.1.0", await LedgerState.VersionAsync(db));
        Assert.Equal(1L, await LedgerState.HistoryCountAsync(db, status: "failed"));
        Assert.Equal("failed", await db.ScalarAsync<string>("SELECT outcome FROM stepwise.audit_log ORDER BY id DESC LIMIT 1"));
    }

    [Fact]
    public async Task FailingPreCheckSentWithUpsStatement_RefusesTheStepBeforeTheStatementRuns()
    {
        await using var db = await server.CreateDatabaseAsync();
        await RunAsync(db, Ledger, "install", "--version", "1.1.0");
        CreateTransfersRefusedByAHeldPreCheck.RanPastTheFailingCheck = false;

        var run = await RunAsync(db, LedgerWith(typeof(CreateTransfersRefusedByAHeldPreCheck)), "upgrade", "--version", "2.0.0");

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("PreCheck of CreateTransfersRefusedByAHeldPreCheck (2.0.0/upgrade/schema-changes/1) failed: expected: table ledger_unfrozen exists; found: it does not. " +
            "The migration did not run", run.Error, StringComparison.Ordinal);
        // The check went to the server with Up's statement, after PreCheck had returned.
        Assert.True(CreateTransfersRefusedByAHeldPreCheck.RanPastTheFailingCheck);
        Assert.False(await db.TableExistsAsync("transfers"));
        Assert.Equal("1.1.0", await LedgerState.VersionAsync(db));
        Assert.Equal(1L, await LedgerState.HistoryCountAsync(db, status: "failed"));
    }

    [Fact]
    public async Task FailingValidate_RollsTheStepBack()
    {
        await using var db = await server.CreateDatabaseAsync();
        await RunAsync(db, Ledger, "install", "--version", "1.1.0");

        var run = await RunAsync(db, LedgerWith(typeof(CreateTransfersFailingValidation)), "upgrade", "--version", "2.0.0");

        Assert.Equal(4, run.ExitCode);
        Assert.Contains("Validate of CreateTransfersFailingValidation", run.Error, StringComparison.Ordinal);
        Assert.Contains("failed after Up: expected: transfers holds the 2 opening transfers; found: 1 row", run.Error, StringComparison.Ordinal);
        Assert.Contains("The step was rolled back", run.Error, StringComparison.Ordinal);
        Assert.False(await db.TableExistsAsync("transfers"));
        Assert.Equal("1.1.0", await LedgerState.VersionAsync(db));
        Assert.Equal(3L, await LedgerState.AppliedCountAsync(db));
    }

    [Fact]
    public async Task FailingHeldBackValidationCheck_FailsValidateAndCommitsNothing()
    {
        await using var db = await server.CreateDatabaseAsync();
        await RunAsync(db, Ledger, "install", "--version", "1.1.0");
        CreateTransfersFailingHeldBackCheck.RanPastTheFailingCheck = false;

        var run = await RunAsync(db, LedgerWith(typeof(CreateTransfersFailingHeldBackCheck)), "upgrade", "--version", "2.0.0");

        Assert.Equal(4, run.ExitCode);
        Assert.Contains("Validate of CreateTransfersFailingHeldBackCheck (2.0.0/upgrade/schema-changes/1) failed after Up: expected: column transfers.amount exists; found: it does not", run.Error,
            StringComparison.Ordinal);
        Assert.Contains("The step was rolled back", run.Error, StringComparison.Ordinal);
        // The check went to the server with the commit, after Validate had returned.
        Assert.True(CreateTransfersFailingHeldBackCheck.RanPastTheFailingCheck);
        Assert.False(await db.TableExistsAsync("transfers"));
        Assert.Equal("1.1.0", await LedgerState.VersionAsync(db));
        Assert.Equal(3L, await LedgerState.AppliedCountAsync(db));
        Assert.Equal(1L, await LedgerState.HistoryCountAsync(db, status: "failed"));
    }

    [Fact]
    public async Task StatementAfterAHeldBackCheck_FailsWithTheCheckNotTheStatement()
    {
        await using var db = await server.CreateDatabaseAsync();
        await RunAsync(db, Ledger, "install", "--version", "1.1.0");

        var run = await RunAsync(db, LedgerWith(typeof(CreateTransfersQueryingAfterAFailingCheck)), "upgrade", "--version", "2.0.0");

        Assert.Equal(4, run.ExitCode);
        Assert.Contains("Validate of CreateTransfersQueryingAfterAFailingCheck (2.0.0/upgrade/schema-changes/1) failed after Up: expected: table transfer_lines exists; found: it does not",
            run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("does not exist", run.Error, StringComparison.Ordinal);
        Assert.False(await db.TableExistsAsync("transfers"));
    }

    [Fact]
    public async Task FailingUp_RollsTheStepBackAndNamesTheDatabaseError()
    {
        await using var db = await server.CreateDatabaseAsync();
        await RunAsync(db, Ledger, "install", "--version", "1.1.0");

        var run = await RunAsync(db, LedgerWith(typeof(CreateTransfersFailingUp)), "upgrade", "--version", "2.0.0");

        Assert.Equal(9, run.ExitCode);
        Assert.Contains("CreateTransfersFailingUp (2.0.0/upgrade/schema-changes/1) failed", run.Error, StringComparison.Ordinal);
        Assert.Contains("no_such_table", run.Error, StringComparison.Ordinal);
        Assert.False(await db.TableExistsAsync("transfers"));
    }

    [Fact]
    public async Task ExceptionInUp_IsNamedInOneSentenceAndTheStepRolledBack()
    {
        await using var db = await server.CreateDatabaseAsync();
        await RunAsync(db, Ledger, "install", "--version", "1.1.0");

        var run = await RunAsync(db, LedgerWith(typeof(CreateTransfersThrowingInUp)), "upgrade", "--version", "2.0.0");

        Assert.Equal(9, run.ExitCode);
        Assert.Contains("failed: InvalidOperationException: The exchange rate feed is unreachable. The step was rolled back", run.Error,
            StringComparison.Ordinal);
        Assert.False(await db.TableExistsAsync("transfers"));
    }

    [Fact]
    public async Task FailingBookkeeping_RollsTheStepBackWithoutCommitting()
    {
        await using var db = await server.CreateDatabaseAsync();
        await RunAsync(db, Ledger, "install", "--version", "1.1.0");

        var run = await RunAsync(db, LedgerWith(typeof(CreateTransfersBreakingTheBookkeeping)), "upgrade", "--version", "2.0.0");

        Assert.Equal(9, run.ExitCode);
        Assert.Contains("refuse_every_row", run.Error, StringComparison.Ordinal);
        Assert.False(await db.TableExistsAsync("transfers"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_constraint WHERE conname = 'refuse_every_row'"));
        Assert.Equal("1.1.0", await LedgerState.VersionAsync(db));
        Assert.Equal(3L, await LedgerState.AppliedCountAsync(db));
        Assert.Equal(1L, await LedgerState.HistoryCountAsync(db, status: "failed"));
    }

    [Fact]
    public async Task InterruptedInstall_IsResumedByTheSameInstallCommand()
    {
        await using var db = await server.CreateDatabaseAsync();
        var failed = await RunAsync(db, LedgerWith(typeof(CreateTransfersFailingUp)), "install", "--version", "2.0.0");
        Assert.Equal(9, failed.ExitCode);
        Assert.Null(await LedgerState.VersionAsync(db));

        var resumed = await RunAsync(db, Ledger, "install", "--version", "2.0.0");

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains("1 step(s)", resumed.Output, StringComparison.Ordinal);
        Assert.Equal("2.0.0", await LedgerState.VersionAsync(db));
    }

    [Fact]
    public async Task FailingDown_StopsTheRollbackAndKeepsTheStep()
    {
        await using var db = await server.CreateDatabaseAsync();
        var set = LedgerWith(typeof(CreateTransfersWithFailingDown));
        await RunAsync(db, set, "install", "--version", "2.0.0");

        var run = await RunAsync(db, set, "rollback", "--version", "1.1.0");

        Assert.Equal(5, run.ExitCode);
        Assert.Contains("Down of CreateTransfersWithFailingDown", run.Error, StringComparison.Ordinal);
        Assert.True(await db.TableExistsAsync("transfers"));
        Assert.Equal("2.0.0", await LedgerState.VersionAsync(db));
    }

    // The rollback check written with Require(...) answers at once; with a Require…Async helper it travels with the commit.
    [Theory]
    [InlineData(typeof(CreateTransfersWithIncompleteDown))]
    [InlineData(typeof(CreateTransfersWithIncompleteDownCheckedByAHelper))]
    public async Task DownThatDoesNotRestoreThePreCheckState_IsRolledBackAndReported(Type variant)
    {
        await using var db = await server.CreateDatabaseAsync();
        var set = LedgerWith(variant);
        await RunAsync(db, set, "install", "--version", "2.0.0");
        await db.ExecuteAsync("INSERT INTO transfers VALUES (7)");

        var run = await RunAsync(db, set, "rollback", "--version", "1.1.0");

        Assert.Equal(5, run.ExitCode);
        // A helper knows what it found; a plain Require knows only that its condition is false.
        Assert.Matches("does not satisfy the migration's PreCheck again: expected: table transfers does not exist yet; found: it (exists|does not hold)\\.",
            run.Error);
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM transfers"));
        Assert.Equal("2.0.0", await LedgerState.VersionAsync(db));
        Assert.Equal(4L, await LedgerState.AppliedCountAsync(db));
    }

    [Fact]
    public async Task FailedNonTransactionalStep_BlocksLaterRunsUntilRolledBack()
    {
        await using var db = await server.CreateDatabaseAsync();
        await RunAsync(db, Ledger, "install", "--version", "1.0.0");
        var failing = LedgerWith(typeof(IndexAccountEmailFailing));

        var failed = await RunAsync(db, failing, "upgrade", "--version", "1.1.0");
        Assert.Equal(9, failed.ExitCode);
        Assert.Contains("non-transactional, so its changes were not undone", failed.Error, StringComparison.Ordinal);
        Assert.True(await db.TableExistsAsync("email_audit"));

        var blocked = await RunAsync(db, Ledger, "upgrade", "--version", "2.0.0");
        Assert.Equal(10, blocked.ExitCode);
        Assert.Contains("failed outside a transaction", blocked.Error, StringComparison.Ordinal);
        Assert.Contains("rollback --version 1.0.0", blocked.Error, StringComparison.Ordinal);

        var status = await RunAsync(db, failing, "status");
        Assert.Contains("Failed outside a transaction", status.Output, StringComparison.Ordinal);

        var rolledBack = await RunAsync(db, failing, "rollback", "--version", "1.0.0");
        Assert.True(rolledBack.ExitCode == 0, rolledBack.ToString());
        Assert.False(await db.TableExistsAsync("email_audit"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM information_schema.columns WHERE table_name = 'accounts' AND column_name = 'email'"));

        var upgraded = await RunAsync(db, Ledger, "upgrade", "--version", "2.0.0");
        Assert.True(upgraded.ExitCode == 0, upgraded.ToString());
        Assert.Equal("2.0.0", await LedgerState.VersionAsync(db));
    }

    [Fact]
    public async Task Repair_ClearsAFailedNonTransactionalStepSoTheNextRunRetriesIt()
    {
        await using var db = await server.CreateDatabaseAsync();
        await RunAsync(db, Ledger, "install", "--version", "1.0.0");
        await RunAsync(db, LedgerWith(typeof(IndexAccountEmailFailing)), "upgrade", "--version", "1.1.0");

        var preview = await RunAsync(db, Ledger, "repair", "--dry-run");
        Assert.Contains("Would repair ledger", preview.Output, StringComparison.Ordinal);
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM stepwise.applied_migration WHERE status = 'failed'"));

        var repaired = await RunAsync(db, Ledger, "repair");
        Assert.True(repaired.ExitCode == 0, repaired.ToString());
        Assert.Contains("clear-failure", repaired.Output, StringComparison.Ordinal);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM stepwise.applied_migration WHERE status = 'failed'"));
        Assert.Equal(1L, await LedgerState.HistoryCountAsync(db, status: "repaired", direction: "repair"));

        var retried = await RunAsync(db, Ledger, "upgrade", "--version", "1.1.0");
        Assert.True(retried.ExitCode == 0, retried.ToString());
        Assert.Equal("1.1.0", await LedgerState.VersionAsync(db));
    }
}
