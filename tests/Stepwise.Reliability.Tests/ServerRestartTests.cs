using Stepwise.Testing;

namespace Stepwise.Reliability.Tests;

/// <summary>A PostgreSQL cluster of the restart tests' own: restarting the shared server would break every other test.</summary>
public sealed class RestartableServer : IAsyncLifetime
{
    public LocalPostgresCluster? Cluster { get; private set; }

    public async ValueTask InitializeAsync()
    {
        if (LocalPostgresCluster.Available)
        {
            Cluster = await LocalPostgresCluster.StartAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }
    }
}

/// <summary>
/// Proves: a server restarted (failover, upgrade, crash) while a step or the rehearsal runs is reported as a lost
/// connection (exit 8), never as an unexpected error; the step's transaction is gone with the server's sessions, and
/// the same command run again completes the work once.
/// </summary>
public sealed class ServerRestartTests(RestartableServer restartable) : IClassFixture<RestartableServer>
{
    [Fact]
    public async Task RestartDuringATransactionalStep_IsALostConnection_AndTheSameCommandCompletesIt()
    {
        var cluster = RequireCluster();
        await using var db = await CreateDatabaseAsync(cluster);
        using var runner = Drill.Start(db.ConnectionString, 3, "install");
        await Drill.WaitUntilAsync(db, Drill.PausedAfter(db, applied: 1), "FillItems pauses", runner);

        await cluster.RestartAsync();
        var stopped = await runner.FinishAsync();

        Assert.True(stopped.ExitCode == 8, stopped.ToString());
        Assert.Contains("Lost the connection to PostgreSQL", stopped.Error, StringComparison.Ordinal);
        Assert.Contains("during Up of FillItems (1.0.0/upgrade/schema-changes/2). The step was rolled back", stopped.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Unexpected", stopped.Error, StringComparison.Ordinal);

        var again = await Drill.RunAsync(db.ConnectionString, "install");
        Assert.True(again.ExitCode == 0, again.ToString());
        await Drill.AssertCompleteAsync(db);
    }

    [Fact]
    public async Task CrashDuringTheRehearsal_IsALostConnectionFoundInTheRehearsal_AndTheSameCommandCompletesIt()
    {
        var cluster = RequireCluster();
        await using var db = await CreateDatabaseAsync(cluster);
        var config = Path.Combine(Path.GetTempPath(), $"drill-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(config,
            "apiVersion: v1\nkind: ProjectConfig\nmetadata: { name: drill }\nspec:\n  migration:\n    policies: { dry_run_first: true }\n",
            TestContext.Current.CancellationToken);
        try
        {
            using var runner = Drill.Start(db.ConnectionString, 3, "install", "--config", config);
            // The rehearsal runs every transactional step before anything is applied: paused with nothing applied yet.
            await Drill.WaitUntilAsync(db,
                "EXISTS (SELECT 1 FROM stepwise.audit_log WHERE operation = 'rehearsal' AND outcome = 'running') AND " + Drill.PausedAfter(db, applied: 0),
                "the rehearsal pauses", runner);

            await cluster.RestartAsync(crash: true);
            var stopped = await runner.FinishAsync();

            Assert.True(stopped.ExitCode == 8, stopped.ToString());
            Assert.Contains("Lost the connection to PostgreSQL", stopped.Error, StringComparison.Ordinal);
            Assert.Contains("Found in the rehearsal (policy dry_run_first): nothing was applied.", stopped.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("ObjectDisposedException", stopped.All, StringComparison.Ordinal);
            Assert.False(await db.TableExistsAsync("items"));

            var again = await Drill.RunAsync(db.ConnectionString, "install", "--config", config);
            Assert.True(again.ExitCode == 0, again.ToString());
            await Drill.AssertCompleteAsync(db);
        }
        finally
        {
            File.Delete(config);
        }
    }

    private LocalPostgresCluster RequireCluster()
    {
        if (restartable.Cluster is null)
        {
            Assert.Skip("Restarting a server needs PostgreSQL's server binaries on this machine (apt-get install postgresql); none were found.");
        }

        return restartable.Cluster;
    }

    private static async Task<TestDatabase> CreateDatabaseAsync(LocalPostgresCluster cluster) =>
        await TestDatabase.CreateAsync(cluster.ConnectionString, "restart");
}
