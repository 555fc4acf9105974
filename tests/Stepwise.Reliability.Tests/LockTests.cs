using Stepwise.Testing;

namespace Stepwise.Reliability.Tests;

/// <summary>
/// Proves: a runner that cannot get the project's lock in time exits 6 naming who holds it, changing nothing; a killed
/// holder's lock is free as soon as its connection drops, and the next runner completes the work and closes the dead
/// run's audit entry.
/// </summary>
public sealed class LockTests(PostgresServer server)
{
    [Fact]
    public async Task LockHeldPastTheTimeout_ExitsWithLockTimeoutNamingTheHolder()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var holder = Drill.Start(db.ConnectionString, 3, "install");
        await Drill.WaitUntilAsync(db, Drill.PausedAfter(db, applied: 0), "the first runner works", holder);

        var waiter = await Drill.RunAsync(db.ConnectionString, "install", "--lock-timeout", "1s");

        Assert.Equal(6, waiter.ExitCode);
        Assert.Matches(@"held by pid \d+, application 'stepwise \(lock\)', client 127\.0\.0\.1, user \w+, connected since ", waiter.Error);
        Assert.Equal(0, (await holder.FinishAsync()).ExitCode);
        await Drill.AssertCompleteAsync(db);
    }

    [Fact]
    public async Task KilledHolder_FreesTheLock_AndTheNextRunnerFinishesAndClosesItsAuditEntry()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var holder = Drill.Start(db.ConnectionString, 2, "install");
        await Drill.WaitUntilAsync(db, Drill.PausedAfter(db, applied: 1), "the first runner is in FillItems", holder);
        holder.KillHard();
        await holder.FinishAsync();

        var next = await Drill.RunAsync(db.ConnectionString, "install", "--lock-timeout", "20s");

        Assert.True(next.ExitCode == 0, next.ToString());
        Assert.Contains("Closed 1 audit entries of drill whose runner stopped before its run finished", next.Error, StringComparison.Ordinal);
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM stepwise.audit_log WHERE outcome = 'interrupted'"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM stepwise.audit_log WHERE outcome = 'running'"));
        await Drill.AssertCompleteAsync(db);
    }
}
