using Stepwise.PostgreSql.Tests.Cli;
using Stepwise.PostgreSql.Tests.Migrations;
using Stepwise.Testing;
using static Stepwise.PostgreSql.Tests.Cli.StepwiseCli;

namespace Stepwise.PostgreSql.Tests.Lifecycle;

/// <summary>
/// What the deployment hooks run: migrate (install or upgrade, whatever the database holds) before the release, with the
/// target's post-upgrade phase deferred; wait in the application's init container; migrate again after the release.
/// </summary>
public sealed class DeploymentTests(PostgresServer server)
{
    private static readonly Type[] WithCleanup = [.. Ledger, typeof(DropLegacyAccountNames)];

    [Fact]
    public async Task Migrate_InstallsAnEmptyDatabase_UpgradesAnInstalledOne_AndDoesNothingAtTheTarget()
    {
        await using var db = await server.CreateDatabaseAsync();

        var install = await RunAsync(db, Ledger, "migrate", "--version", "1.1.0");
        var upgrade = await RunAsync(db, Ledger, "migrate", "--version", "2.0.0");
        var again = await RunAsync(db, Ledger, "migrate");

        Assert.True(install.ExitCode == 0, install.ToString());
        Assert.Contains("Ran install ledger: nothing installed -> 1.1.0", install.Output, StringComparison.Ordinal);
        Assert.True(upgrade.ExitCode == 0, upgrade.ToString());
        Assert.Contains("Ran upgrade ledger: 1.1.0 -> 2.0.0", upgrade.Output, StringComparison.Ordinal);
        Assert.Contains("ledger is at 2.0.0: nothing to do.", again.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_BelowTheDatabasesVersion_IsRefusedWithTheRollbackToRun()
    {
        await using var db = await server.CreateDatabaseAsync();
        await RunAsync(db, Ledger, "migrate", "--version", "2.0.0");

        var run = await RunAsync(db, Ledger, "migrate", "--version", "1.1.0");

        Assert.Equal(10, run.ExitCode);
        Assert.Contains("ledger is at 2.0.0, above 1.1.0; migrate never goes down. Roll back on purpose with 'rollback --version 1.1.0'", run.Error,
            StringComparison.Ordinal);
        Assert.True(await db.TableExistsAsync("transfers"));
    }

    [Fact]
    public async Task DeferredPostUpgrade_RecordsTheVersionForTheRelease_AndTheNextMigrateRunsTheCleanup()
    {
        await using var db = await server.CreateDatabaseAsync();
        await RunAsync(db, WithCleanup, "migrate", "--version", "1.1.0");

        var before = await RunAsync(db, WithCleanup, "migrate", "--version", "2.0.0", "--defer-post-upgrade");

        Assert.True(before.ExitCode == 0, before.ToString());
        Assert.Equal("2.0.0", await LedgerState.VersionAsync(db));
        Assert.False(await db.TableExistsAsync("legacy_names_dropped"));
        var status = await RunAsync(db, WithCleanup, "status");
        Assert.Contains("DropLegacyAccountNames", status.Output, StringComparison.Ordinal);

        // The release's pods start: the schema they need is there.
        var wait = await RunAsync(db, WithCleanup, "wait", "--min-version", "2.0.0", "--timeout", "5s");
        Assert.True(wait.ExitCode == 0, wait.ToString());
        Assert.Contains("ledger is at 2.0.0 (at least 2.0.0).", wait.Output, StringComparison.Ordinal);

        var after = await RunAsync(db, WithCleanup, "migrate", "--version", "2.0.0");

        Assert.True(after.ExitCode == 0, after.ToString());
        Assert.Contains("DropLegacyAccountNames", after.Output, StringComparison.Ordinal);
        Assert.Contains("Ran upgrade ledger: applied 1 step(s) of 2.0.0 not applied yet", after.Output, StringComparison.Ordinal);
        Assert.True(await db.TableExistsAsync("legacy_names_dropped"));
        Assert.Contains("nothing to do", (await RunAsync(db, WithCleanup, "migrate")).Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wait_BelowTheVersionUntilTheTimeout_ExitsWithTheStateCodeAndSaysWhatToCheck()
    {
        await using var db = await server.CreateDatabaseAsync();
        await RunAsync(db, Ledger, "install", "--version", "1.0.0");

        var run = await RunAsync(db, Ledger, "wait", "--min-version", "2.0.0", "--timeout", "1s");

        Assert.Equal(10, run.ExitCode);
        Assert.Contains("ledger is still at 1.0.0 after 1 s; waited for 2.0.0 or later", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wait_ReturnsAsSoonAsAnotherRunnerReachesTheVersion()
    {
        await using var db = await server.CreateDatabaseAsync();
        await RunAsync(db, Ledger, "install", "--version", "1.0.0");

        var wait = RunAsync(db, Ledger, "wait", "--min-version", "1.1.0", "--timeout", "60s");
        var upgrade = await RunAsync(db, Ledger, "upgrade", "--version", "1.1.0");
        var waited = await wait;

        Assert.True(upgrade.ExitCode == 0, upgrade.ToString());
        Assert.True(waited.ExitCode == 0, waited.ToString());
        Assert.Contains("ledger is at 1.1.0 (at least 1.1.0).", waited.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wait_OnADatabaseThatStaysUnreachable_IsAConnectionFailureAtTheTimeout()
    {
        var run = await RunAsync(Ledger, null, "wait", "--min-version", "1.0.0", "--timeout", "1s", "--connection", "Host=127.0.0.1;Port=1;Database=x;Timeout=1");

        Assert.Equal(8, run.ExitCode);
        Assert.Contains("Cannot reach PostgreSQL at 127.0.0.1:1", run.Error, StringComparison.Ordinal);
    }
}
