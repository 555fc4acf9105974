using Stepwise.PostgreSql.Tests.Cli;
using Stepwise.PostgreSql.Tests.Sample;
using Stepwise.Testing;
using static Stepwise.PostgreSql.Tests.Cli.StepwiseCli;

namespace Stepwise.PostgreSql.Tests.Lifecycle;

/// <summary>Two projects (the ledger tests' and the e-commerce sample) sharing one database.</summary>
public sealed class MultiProjectTests(PostgresServer server)
{
    [Fact]
    public async Task TwoProjectsMigratedTogether_KeepSeparateVersionsHistoriesAndLocks()
    {
        await using var db = await server.CreateDatabaseAsync();

        var runs = await Task.WhenAll(
            RunAsync(db, Ledger, "install", "--version", "2.0.0"),
            SampleRun.RunAsync(db, "install", "--version", "1.1.0"));

        Assert.All(runs, static r => Assert.True(r.ExitCode == 0, r.ToString()));
        var all = await RunAsync(db, Ledger, "status", "--all");
        Assert.Matches(@"e-commerce-api\s+1\.1\.0\s*\n\s*ledger\s+2\.0\.0", all.Output);
        Assert.Equal(4L, await db.ScalarAsync<long>("SELECT count(*) FROM stepwise.migration_history WHERE project = 'ledger'"));
        Assert.Equal(3L, await db.ScalarAsync<long>("SELECT count(*) FROM stepwise.migration_history WHERE project = 'e-commerce-api'"));
    }

    [Fact]
    public async Task RollingBackOneProject_LeavesTheOtherUntouched()
    {
        await using var db = await server.CreateDatabaseAsync();
        await RunAsync(db, Ledger, "install", "--version", "2.0.0");
        await SampleRun.RunAsync(db, "install", "--version", "1.1.0");

        var rollback = await SampleRun.RunAsync(db, "rollback", "--version", "1.0.0");
        var ledger = await RunAsync(db, Ledger, "validate");

        Assert.True(rollback.ExitCode == 0, rollback.ToString());
        Assert.False(await db.TableExistsAsync("orders"));
        Assert.True(await db.TableExistsAsync("transfers"));
        Assert.Equal("2.0.0", await LedgerState.VersionAsync(db));
        Assert.True(ledger.ExitCode == 0, ledger.ToString());
    }

    [Fact]
    public async Task ProjectRequiringAnother_WaitsForItsVersion()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var config = ConfigFile.Ledger(requires: "e-commerce-api: \">=2.0.0\"");
        await SampleRun.RunAsync(db, "install", "--version", "1.1.0");

        var refused = await RunAsync(db, Ledger, "install", "--config", config.Path);
        await SampleRun.RunAsync(db, "upgrade", "--version", "2.0.0");
        var accepted = await RunAsync(db, Ledger, "install", "--config", config.Path);

        Assert.Equal(10, refused.ExitCode);
        Assert.Contains("ledger requires e-commerce-api >=2.0.0, but the database has e-commerce-api at 1.1.0", refused.Error, StringComparison.Ordinal);
        Assert.True(accepted.ExitCode == 0, accepted.ToString());
    }
}
