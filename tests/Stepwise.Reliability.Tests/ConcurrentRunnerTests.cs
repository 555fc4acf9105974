using Stepwise.Testing;

namespace Stepwise.Reliability.Tests;

/// <summary>
/// Proves: runners started together (a Job retried while its first pod still runs, several releases deployed at once)
/// apply every migration exactly once, and projects sharing a database do not wait for each other.
/// </summary>
public sealed class ConcurrentRunnerTests(PostgresServer server)
{
    [Fact]
    public async Task SixteenRunnersStartedTogether_ApplyEveryMigrationExactlyOnce()
    {
        await using var db = await server.CreateDatabaseAsync();

        var runners = Enumerable.Range(0, 16).Select(_ => Drill.Start(db.ConnectionString, 0.02, "install")).ToArray();
        var runs = await Task.WhenAll(runners.Select(static r => r.FinishAsync()));

        Assert.All(runs, static r => Assert.True(r.ExitCode == 0, r.ToString()));
        Assert.Equal(15, runs.Count(static r => r.Output.Contains("nothing to do", StringComparison.Ordinal)));
        Assert.Equal(0L, await db.ScalarAsync<long>(
            "SELECT count(*) FROM (SELECT migration_key FROM stepwise.migration_history WHERE direction = 'up' AND status = 'succeeded' GROUP BY 1 HAVING count(*) > 1) twice"));
        await Drill.AssertCompleteAsync(db);
    }

    [Fact]
    public async Task TwoProjectsInOneDatabase_MigrateAtTheSameTimeWithoutWaitingForEachOther()
    {
        await using var db = await server.CreateDatabaseAsync();
        var sample = BuiltExecutable.Dll("samples/ECommerce.Migrations", "ECommerce.Migrations");

        var drill = Drill.Start(db.ConnectionString, 0.2, "install");
        var shop = BuiltExecutable.Start(sample, ["install", "--connection", db.ConnectionString]);
        var (drillRun, shopRun) = (await drill.FinishAsync(), await shop.FinishAsync());

        Assert.True(drillRun.ExitCode == 0, drillRun.ToString());
        Assert.True(shopRun.ExitCode == 0, shopRun.ToString());
        Assert.DoesNotContain("waiting up to", drillRun.Error + shopRun.Error, StringComparison.Ordinal);
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM stepwise.project_metadata WHERE current_version IS NOT NULL"));
        await Drill.AssertCompleteAsync(db);
    }
}
