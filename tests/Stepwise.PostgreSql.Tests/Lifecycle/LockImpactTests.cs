using Stepwise.PostgreSql.Tests.Migrations;
using Stepwise.Testing;
using static Stepwise.PostgreSql.Tests.Cli.StepwiseCli;

namespace Stepwise.PostgreSql.Tests.Lifecycle;

/// <summary>
/// What a step does to the application's sessions: a step that holds a table's lock while a reader waits for it says
/// so in a warning, in its audit entry and in its span, and a quick step is not watched at all.
/// </summary>
public sealed class LockImpactTests(PostgresServer server)
{
    [Fact]
    public async Task AStepThatMakesAReaderWait_SaysHowManyWaitedAndHowLong()
    {
        await using var db = await server.CreateDatabaseAsync();
        await RunAsync(db, Ledger, "install", "--version", "1.1.0");
        var environment = new Dictionary<string, string> { ["STEPWISE_CONNECTION"] = db.ConnectionString, ["STEPWISE_AUDIT_JSONL"] = "stderr" };

        var upgrade = Task.Run(() => RunAsync(LedgerWith(typeof(CreateTransfersHoldingAccounts)), environment, "upgrade", "--version", "2.0.0"),
            TestContext.Current.CancellationToken);
        await WaitUntilAsync(() => db.ScalarAsync<bool>(
            "SELECT EXISTS (SELECT 1 FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'accounts' AND l.mode = 'AccessExclusiveLock' AND l.granted)"));
        var reader = db.ScalarAsync<long>("SELECT count(*) FROM accounts");
        var run = await upgrade;
        await reader;

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("warning: CreateTransfersHoldingAccounts held locks that other sessions waited for: up to 1 at once, the longest for ", run.Error,
            StringComparison.Ordinal);
        var step = Assert.Single(AuditEntries(run.Error), static e => (string?)e["migration"] == "CreateTransfersHoldingAccounts");
        Assert.Equal(1, (int)step["blockedSessions"]!);
        Assert.InRange((double)step["longestBlockedSeconds"]!, 0.5, 10);
    }

    [Fact]
    public async Task StepsThatKeepNobodyWaiting_SayNothing()
    {
        await using var db = await server.CreateDatabaseAsync();
        var environment = new Dictionary<string, string> { ["STEPWISE_CONNECTION"] = db.ConnectionString, ["STEPWISE_AUDIT_JSONL"] = "stderr" };

        var run = await RunAsync(Ledger, environment, "install", "--version", "1.1.0");

        Assert.True(run.ExitCode == 0, run.ToString());
        // Unwatched (null) when quicker than the first look; a slow machine may look once and see nobody (0).
        Assert.All(AuditEntries(run.Error).Where(static e => e["migration"] is not null), static e =>
        {
            Assert.True(e["blockedSessions"] is null || (int)e["blockedSessions"]! == 0);
            Assert.Null(e["tableSizes"]); // None of them declares [Changes].
        });
        Assert.DoesNotContain("held locks", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStepThatDeclaresWhatItChanges_SaysHowItsSizeChanged()
    {
        await using var db = await server.CreateDatabaseAsync();
        await RunAsync(db, Ledger, "install", "--version", "1.1.0");
        var before = await db.ScalarAsync<long>("SELECT pg_total_relation_size('accounts')");
        var environment = new Dictionary<string, string> { ["STEPWISE_CONNECTION"] = db.ConnectionString, ["STEPWISE_AUDIT_JSONL"] = "stderr" };

        var run = await RunAsync(LedgerWith(typeof(CreateTransfersGrowingAccounts)), environment, "upgrade", "--version", "2.0.0");

        Assert.True(run.ExitCode == 0, run.ToString());
        var after = await db.ScalarAsync<long>("SELECT pg_total_relation_size('accounts')");
        Assert.True(after > before, $"{before} -> {after}");
        Assert.Contains($"accounts: {before} bytes before the step, {after} after", run.Error, StringComparison.Ordinal);
        var step = Assert.Single(AuditEntries(run.Error), static e => (string?)e["migration"] == "CreateTransfersGrowingAccounts");
        var size = Assert.Single(step["tableSizes"]!.AsArray());
        Assert.Equal(("accounts", before, after), ((string)size!["table"]!, (long)size["beforeBytes"]!, (long)size["afterBytes"]!));
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 100 && !await condition(); i++)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

}
