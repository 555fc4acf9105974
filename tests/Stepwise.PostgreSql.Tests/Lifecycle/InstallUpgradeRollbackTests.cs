using System.Text.Json;
using Stepwise.PostgreSql.Tests.Cli;
using Stepwise.PostgreSql.Tests.Migrations;
using Stepwise.Testing;
using static Stepwise.PostgreSql.Tests.Cli.StepwiseCli;

namespace Stepwise.PostgreSql.Tests.Lifecycle;

public sealed class InstallUpgradeRollbackTests(PostgresServer server)
{
    [Fact]
    public async Task StepCommits_LeaveTheSessionWaitingForFlushes()
    {
        await using var db = await server.CreateDatabaseAsync();
        // The test server runs without waiting for flushes, for speed; this database waits, as a production one does.
        await db.ExecuteAsync($"ALTER DATABASE \"{db.Name}\" SET synchronous_commit = on");

        // Three steps commit before the noting one, on the same connection: each lets its own commit skip the wait for the
        // disk, which must end with it. Were it to stay, the run's last write would not make the run durable either.
        var run = await RunAsync(db, LedgerWith(typeof(CreateTransfersNotingSynchronousCommit)), "install", "--version", "2.0.0");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(4L, await LedgerState.AppliedCountAsync(db));
        Assert.Equal("on", await db.ScalarAsync<string>("SELECT synchronous_commit FROM transfers"));
        Assert.Equal("succeeded", await db.ScalarAsync<string>("SELECT outcome FROM stepwise.audit_log ORDER BY id DESC LIMIT 1"));
    }

    [Fact]
    public async Task Install_OnEmptyDatabase_ReachesTheTargetAndRecordsEveryStep()
    {
        await using var db = await server.CreateDatabaseAsync();

        var run = await RunAsync(db, Ledger, "install", "--project", "ledger", "--version", "v1.1.0", "--database-type", "postgresql", "--environment", "test");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(await db.TableExistsAsync("accounts"));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_index WHERE indexrelid = to_regclass('accounts_email_idx') AND indisvalid"));
        Assert.False(await db.TableExistsAsync("transfers"));
        Assert.Equal("1.1.0", await LedgerState.VersionAsync(db));
        Assert.Equal(3L, await db.ScalarAsync<long>(
            "SELECT count(*) FROM stepwise.migration_history WHERE status = 'succeeded' AND direction = 'up' AND environment = 'test' AND checksum ~ '^[0-9a-f]{64}$'"));
        Assert.Equal("succeeded", await db.ScalarAsync<string>("SELECT outcome FROM stepwise.audit_log WHERE operation = 'install'"));
    }

    [Fact]
    public async Task Install_OnDatabaseAlreadyAtTheTarget_DoesNothingAndSucceeds()
    {
        await using var db = await server.CreateDatabaseAsync();
        await RunAsync(db, Ledger, "install", "--version", "1.1.0");

        var again = await RunAsync(db, Ledger, "install", "--version", "1.1.0");

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("nothing to do", again.Output, StringComparison.Ordinal);
        Assert.Equal(3L, await LedgerState.HistoryCountAsync(db));
    }

    [Fact]
    public async Task Install_OnDatabaseAtAnotherVersion_IsRefused()
    {
        await using var db = await server.CreateDatabaseAsync();
        await RunAsync(db, Ledger, "install", "--version", "1.0.0");

        var run = await RunAsync(db, Ledger, "install", "--version", "2.0.0");

        Assert.Equal(10, run.ExitCode);
        Assert.Contains("already installed at 1.0.0", run.Error, StringComparison.Ordinal);
        Assert.Contains("upgrade --version 2.0.0", run.Error, StringComparison.Ordinal);
        Assert.Equal("1.0.0", await LedgerState.VersionAsync(db));
    }

    [Fact]
    public async Task Upgrade_AppliesEveryMigrationAboveTheCurrentVersionUpToTheTarget()
    {
        await using var db = await server.CreateDatabaseAsync();
        await RunAsync(db, Ledger, "install", "--version", "1.0.0");

        var run = await RunAsync(db, Ledger, "upgrade", "--version", "2.0.0", "--from-version", "1.0.0");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(await db.TableExistsAsync("transfers"));
        Assert.Equal("2.0.0", await LedgerState.VersionAsync(db));
        Assert.Equal(
            "AddAccountEmail,IndexAccountEmail,CreateTransfers",
            await db.ScalarAsync<string>("SELECT string_agg(name, ',' ORDER BY id) FROM stepwise.migration_history WHERE id > 1"));
    }

    [Fact]
    public async Task Rollback_RunsDownInReverseOrderAndLeavesThePreviousSchema()
    {
        await using var db = await server.CreateDatabaseAsync();
        await RunAsync(db, Ledger, "install", "--version", "2.0.0");

        var run = await RunAsync(db, Ledger, "rollback", "--version", "1.0.0", "--environment", "test");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.False(await db.TableExistsAsync("transfers"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM information_schema.columns WHERE table_name = 'accounts' AND column_name = 'email'"));
        Assert.True(await db.TableExistsAsync("accounts"));
        Assert.Equal("1.0.0", await LedgerState.VersionAsync(db));
        Assert.Equal(
            "CreateTransfers,IndexAccountEmail,AddAccountEmail",
            await db.ScalarAsync<string>("SELECT string_agg(name, ',' ORDER BY id) FROM stepwise.migration_history WHERE direction = 'down'"));
        Assert.Equal(1L, await LedgerState.AppliedCountAsync(db));
    }

    [Fact]
    public async Task RollbackThenUpgrade_ReappliesTheSameMigrations()
    {
        await using var db = await server.CreateDatabaseAsync();
        await RunAsync(db, Ledger, "install", "--version", "2.0.0");
        await RunAsync(db, Ledger, "rollback", "--version", "1.1.0");

        var run = await RunAsync(db, Ledger, "upgrade", "--version", "2.0.0");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(await db.TableExistsAsync("transfers"));
        Assert.Equal(4L, await LedgerState.AppliedCountAsync(db));
    }

    [Fact]
    public async Task DryRun_OnEmptyDatabase_PrintsThePlanAndCreatesNothing()
    {
        await using var db = await server.CreateDatabaseAsync();

        var run = await RunAsync(db, Ledger, "install", "--version", "2.0.0", "--dry-run");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Dry run of install ledger: nothing installed -> 2.0.0, 4 step(s)", run.Output, StringComparison.Ordinal);
        Assert.Contains("IndexAccountEmail", run.Output, StringComparison.Ordinal);
        Assert.False(await db.ScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'stepwise')"));
        Assert.False(await db.TableExistsAsync("accounts"));
    }

    [Fact]
    public async Task DryRun_OfAnUpgrade_ChangesNoHistoryNoVersionNoTable()
    {
        await using var db = await server.CreateDatabaseAsync();
        await RunAsync(db, Ledger, "install", "--version", "1.0.0");

        var run = await RunAsync(db, Ledger, "upgrade", "--version", "2.0.0", "--dry-run", "--output", "json");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Output);
        Assert.True(json.RootElement.GetProperty("dryRun").GetBoolean());
        Assert.Equal(3, json.RootElement.GetProperty("steps").GetArrayLength());
        Assert.Equal("1.0.0", await LedgerState.VersionAsync(db));
        Assert.Equal(1L, await LedgerState.HistoryCountAsync(db));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM stepwise.audit_log"));
        Assert.False(await db.TableExistsAsync("transfers"));
    }

    [Fact]
    public async Task Status_InJson_ReportsTheVersionAndWhatIsPending()
    {
        await using var db = await server.CreateDatabaseAsync();
        await RunAsync(db, Ledger, "install", "--version", "1.0.0");

        var run = await RunAsync(db, Ledger, "status", "--output", "json");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Output);
        Assert.Equal("1.0.0", json.RootElement.GetProperty("currentVersion").GetString());
        Assert.Equal("2.0.0", json.RootElement.GetProperty("latestVersion").GetString());
        Assert.Equal(1, json.RootElement.GetProperty("appliedCount").GetInt32());
        Assert.Equal(
            ["AddAccountEmail", "IndexAccountEmail", "CreateTransfers"],
            json.RootElement.GetProperty("pending").EnumerateArray().Select(static s => s.GetProperty("name").GetString()));
        Assert.Equal(0, json.RootElement.GetProperty("drift").GetArrayLength());
    }

    [Fact]
    public async Task Status_OnANeverMigratedDatabase_SaysNotInstalledAndCreatesNothing()
    {
        await using var db = await server.CreateDatabaseAsync();

        var run = await RunAsync(db, Ledger, "status");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("(not installed)", run.Output, StringComparison.Ordinal);
        Assert.False(await db.ScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'stepwise')"));
    }

    [Fact]
    public async Task History_InJson_ListsStepsNewestFirst()
    {
        await using var db = await server.CreateDatabaseAsync();
        await RunAsync(db, Ledger, "install", "--version", "1.1.0", "--environment", "staging");

        var run = await RunAsync(db, Ledger, "history", "--output", "json", "--limit", "2");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Output);
        var entries = json.RootElement.EnumerateArray().ToArray();
        Assert.Equal(2, entries.Length);
        Assert.Equal("IndexAccountEmail", entries[0].GetProperty("name").GetString());
        Assert.False(entries[0].GetProperty("transactional").GetBoolean());
        Assert.Equal("staging", entries[1].GetProperty("environment").GetString());
    }

    [Fact]
    public async Task Plan_OnAnInstalledDatabase_InfersUpgradeAndMarksNonTransactionalSteps()
    {
        await using var db = await server.CreateDatabaseAsync();
        await RunAsync(db, Ledger, "install", "--version", "1.0.0");

        var run = await RunAsync(db, Ledger, "plan", "--version", "1.1.0");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Plan: upgrade ledger: 1.0.0 -> 1.1.0, 2 step(s)", run.Output, StringComparison.Ordinal);
        Assert.Matches(@"IndexAccountEmail\s+upgrade/schema-changes/2\s+no", run.Output);
    }

    [Theory]
    [InlineData("rollback", "1.0.0", "Plan: rollback ledger: 1.1.0 -> 1.0.0, 2 step(s)")]
    [InlineData("upgrade", "2.0.0", "Plan: upgrade ledger: 1.1.0 -> 2.0.0,")]
    [InlineData("migrate", null, "Plan: upgrade ledger: 1.1.0 -> 2.0.0,")]
    public async Task Plan_WithTheCommandToPlan_ShowsThatCommandsSteps_AndChangesNothing(string operation, string? version, string expected)
    {
        await using var db = await server.CreateDatabaseAsync();
        await RunAsync(db, Ledger, "install", "--version", "1.1.0");

        var run = await RunAsync(db, Ledger, version is null ? ["plan", operation] : ["plan", operation, "--version", version]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(expected, run.Output, StringComparison.Ordinal);
        Assert.Equal("1.1.0", await LedgerState.VersionAsync(db));
    }

    [Fact]
    public async Task PlanOfAnInstall_OnAnInstalledDatabase_IsRefusedAsTheInstallWouldBe()
    {
        await using var db = await server.CreateDatabaseAsync();
        await RunAsync(db, Ledger, "install", "--version", "1.0.0");

        var run = await RunAsync(db, Ledger, "plan", "install", "--version", "1.1.0");

        Assert.Equal(10, run.ExitCode);
        Assert.Contains("ledger is already installed at 1.0.0; install only brings an empty database to a version", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migration_WithConstructorDependencies_GetsThemFromTheHost()
    {
        await using var db = await server.CreateDatabaseAsync();

        var run = await RunAsync(db, [.. Ledger, typeof(SeedHouseAccount)], "install", "--version", "2.0.0");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM accounts WHERE name = 'house'"));
    }

    [Fact]
    public async Task StatusAll_ListsEveryProjectTheDatabaseRecords()
    {
        await using var db = await server.CreateDatabaseAsync();
        await RunAsync(db, Ledger, "install", "--version", "1.0.0");
        await db.ExecuteAsync("INSERT INTO stepwise.project_metadata (project, current_version) VALUES ('billing', '3.1.0')");

        var run = await RunAsync(db, Ledger, "status", "--all");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Matches(@"billing\s+3\.1\.0\s*\n\s*ledger\s+1\.0\.0", run.Output);
    }
}
