using Stepwise.PostgreSql.Tests.Cli;
using Stepwise.PostgreSql.Tests.Migrations;
using Stepwise.Testing;
using static Stepwise.PostgreSql.Tests.Cli.StepwiseCli;

namespace Stepwise.PostgreSql.Tests.Lifecycle;

public sealed class PolicyTests(PostgresServer server)
{
    [Fact]
    public async Task DryRunFirst_CatchesAFailingStepBeforeAnythingIsApplied()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var config = ConfigFile.Ledger(policies: "dry_run_first: true");
        await RunAsync(db, Ledger, "install", "--version", "1.1.0", "--config", config.Path);
        var historyBefore = await LedgerState.HistoryCountAsync(db);

        var run = await RunAsync(db, [.. Ledger, typeof(SeedHouseAccountFailingValidation)], "upgrade", "--version", "2.0.0", "--config", config.Path);

        Assert.Equal(4, run.ExitCode);
        Assert.Contains("Validate of SeedHouseAccountFailingValidation", run.Error, StringComparison.Ordinal);
        Assert.Contains("Found in the rehearsal (policy dry_run_first): nothing was applied.", run.Error, StringComparison.Ordinal);
        Assert.False(await db.TableExistsAsync("transfers"));
        Assert.Equal("1.1.0", await LedgerState.VersionAsync(db));
        Assert.Equal(historyBefore, await LedgerState.HistoryCountAsync(db));
        Assert.Equal(0L, await LedgerState.HistoryCountAsync(db, status: "failed"));
        Assert.Equal("failed", await db.ScalarAsync<string>("SELECT outcome FROM stepwise.audit_log WHERE operation = 'rehearsal' ORDER BY id DESC LIMIT 1"));
    }

    [Fact]
    public async Task DryRunFirst_RehearsesThenRunsAndRecordsTheRehearsalOnlyInTheAuditLog()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var config = ConfigFile.Ledger(policies: "dry_run_first: true");

        var run = await RunAsync(db, Ledger, "install", "--version", "2.0.0", "--config", config.Path);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Rehearsal of ledger passed: rehearsed 2 step(s)", run.Error, StringComparison.Ordinal);
        Assert.Contains("not rehearsable (at or after a non-transactional step): IndexAccountEmail, CreateTransfers", run.Error, StringComparison.Ordinal);
        Assert.Equal(4L, await LedgerState.HistoryCountAsync(db));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM stepwise.audit_log WHERE operation = 'rehearsal' AND outcome = 'succeeded'"));
    }

    [Fact]
    public async Task LockTimeout_StepBlockedByALongQueryFailsAfterThreeAttemptsAndLeavesNothing()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var config = ConfigFile.Ledger(policies: "lock_timeout: 300ms");
        await RunAsync(db, Ledger, "install", "--version", "1.0.0", "--config", config.Path);
        await using var reader = await HoldReadLockAsync(db, "accounts");

        var run = await RunAsync(db, Ledger, "upgrade", "--version", "1.1.0", "--config", config.Path);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("lock timeout", run.Error, StringComparison.Ordinal);
        Assert.Equal(2, CountOf(run.Error, "AddAccountEmail: attempt "));
        Assert.Equal("1.0.0", await LedgerState.VersionAsync(db));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM information_schema.columns WHERE table_name = 'accounts' AND column_name = 'email'"));
    }

    [Fact]
    public async Task LockTimeout_StepRunsAgainOnceTheLongQueryEnds()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var config = ConfigFile.Ledger(policies: "lock_timeout: 1s");
        await RunAsync(db, Ledger, "install", "--version", "1.0.0", "--config", config.Path);
        var reader = await HoldReadLockAsync(db, "accounts");
        var release = Task.Delay(TimeSpan.FromSeconds(1.5), TestContext.Current.CancellationToken).ContinueWith(_ => reader.DisposeAsync().AsTask()).Unwrap();

        var run = await RunAsync(db, [.. Ledger.Where(t => t != typeof(IndexAccountEmail))], "upgrade", "--version", "1.1.0", "--config", config.Path);
        await release;

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("AddAccountEmail: attempt 1 was aborted by the server", run.Error, StringComparison.Ordinal);
        Assert.Equal("1.1.0", await LedgerState.VersionAsync(db));
    }

    [Fact]
    public async Task LockTimeout_AlsoBoundsANonTransactionalStep()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var config = ConfigFile.Ledger(policies: "lock_timeout: 2s");

        var run = await RunAsync(db, [.. Ledger, typeof(ObserveLockTimeout)], "install", "--version", "1.1.0", "--config", config.Path);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("2s", await db.ScalarAsync<string>("SELECT seen FROM lock_timeout_seen WHERE step = 'during'"));
    }

    // A reader in an open transaction holds ACCESS SHARE on the table, which ALTER TABLE waits behind.
    private static async Task<Npgsql.NpgsqlConnection> HoldReadLockAsync(TestDatabase db, string table)
    {
        var connection = new Npgsql.NpgsqlConnection(db.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new Npgsql.NpgsqlCommand($"BEGIN; SELECT count(*) FROM {table};", connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        return connection;
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    [Fact]
    public async Task Plan_ShowsWhatThePoliciesAdd()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var config = ConfigFile.Ledger(policies: "dry_run_first: true");

        var run = await RunAsync(db, Ledger, "plan", "--version", "2.0.0", "--config", config.Path);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("note: dry_run_first: steps are rehearsed in a rolled-back transaction up to the first non-transactional one; not rehearsable: IndexAccountEmail", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequireRollback_RefusesAnIrreversibleMigrationAtRunTime()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var config = ConfigFile.Ledger(policies: "require_rollback: true");

        var run = await RunAsync(db, [typeof(CreateAccounts), typeof(Migrations.Policy.DropLegacyNames)], "install", "--config", config.Path);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("DropLegacyNames (1.1.0/upgrade/schema-changes/1) has no rollback (names are not kept)", run.Error, StringComparison.Ordinal);
        Assert.False(await db.TableExistsAsync("accounts"));
    }

    [Fact]
    public async Task BackupBeforeUpgrade_CopiesDeclaredTablesWhichDownCanRestoreFrom()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var config = ConfigFile.Ledger(policies: "backup_before_upgrade: true");
        Type[] set = [.. Ledger, typeof(Migrations.Policy.AnonymizeAccounts)];
        await RunAsync(db, set, "install", "--version", "1.1.0", "--config", config.Path);
        await db.ExecuteAsync("INSERT INTO accounts (name) VALUES ('ada'), ('grace')");

        var plan = await RunAsync(db, set, "plan", "--version", "2.0.0", "--config", config.Path);
        var upgrade = await RunAsync(db, set, "upgrade", "--version", "2.0.0", "--config", config.Path);

        Assert.Contains("backup_before_upgrade: copies accounts before AnonymizeAccounts", plan.Output, StringComparison.Ordinal);
        Assert.True(upgrade.ExitCode == 0, upgrade.ToString());
        Assert.True(upgrade.Error.Contains("Backed up public.accounts to stepwise_backup_ledger_2_0_0.accounts (2 rows)", StringComparison.Ordinal), upgrade.ToString());
        Assert.Equal("ada,grace", await db.ScalarAsync<string>("SELECT string_agg(name, ',' ORDER BY id) FROM stepwise_backup_ledger_2_0_0.accounts"));
        Assert.Equal("{\"public.accounts -> stepwise_backup_ledger_2_0_0.accounts (2 rows)\"}",
            await db.ScalarAsync<string>("SELECT backups::text FROM stepwise.migration_history WHERE name = 'AnonymizeAccounts'"));

        var listed = await RunAsync(db, set, "backups", "list", "--config", config.Path);
        Assert.Matches(@"2\.0\.0\s+public\.accounts\s+stepwise_backup_ledger_2_0_0\.accounts\s+2", listed.Output);

        var rollback = await RunAsync(db, set, "rollback", "--version", "1.1.0", "--config", config.Path);
        Assert.True(rollback.ExitCode == 0, rollback.ToString());
        Assert.Equal("ada,grace", await db.ScalarAsync<string>("SELECT string_agg(name, ',' ORDER BY id) FROM accounts"));

        var drop = await RunAsync(db, set, "backups", "drop", "--version", "2.0.0", "--config", config.Path);
        Assert.True(drop.ExitCode == 0, drop.ToString());
        Assert.False(await db.ScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'stepwise_backup_ledger_2_0_0')"));
        Assert.Contains("no backups", (await RunAsync(db, set, "backups", "list")).Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BackupsDrop_WithoutVersionOrAll_IsAUsageError()
    {
        await using var db = await server.CreateDatabaseAsync();

        var run = await RunAsync(db, Ledger, "backups", "drop");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("backups drop needs either --version", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequiredProjectAtTheWrongVersion_StopsTheRunBeforeAnythingChanges()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var config = ConfigFile.Ledger(requires: "billing: \">=1.2.0\"");

        var missing = await RunAsync(db, Ledger, "install", "--config", config.Path);
        Assert.Equal(10, missing.ExitCode);
        Assert.Contains("ledger requires billing >=1.2.0, but billing is not installed in this database", missing.Error, StringComparison.Ordinal);

        await db.ExecuteAsync("INSERT INTO stepwise.project_metadata (project, current_version) VALUES ('billing', '1.1.0')");
        var tooOld = await RunAsync(db, Ledger, "install", "--config", config.Path);
        Assert.Equal(10, tooOld.ExitCode);
        Assert.Contains("but the database has billing at 1.1.0", tooOld.Error, StringComparison.Ordinal);
        Assert.False(await db.TableExistsAsync("accounts"));

        await db.ExecuteAsync("UPDATE stepwise.project_metadata SET current_version = '1.2.0' WHERE project = 'billing'");
        var satisfied = await RunAsync(db, Ledger, "install", "--config", config.Path);
        Assert.True(satisfied.ExitCode == 0, satisfied.ToString());
    }

    [Fact]
    public async Task ConfigCheck_NeedsNoDatabaseAndReportsBadFilesWithTheirLine()
    {
        using var bad = new ConfigFile("apiVersion: v1\nkind: ProjectConfig\nmetadata: { name: ledger }\nspec:\n  migration:\n    polices: {}\n");
        using var good = ConfigFile.Ledger(policies: "require_validation: true");

        var failed = await RunAsync(Ledger, null, "config", "check", "--config", bad.Path);
        var passed = await RunAsync(Ledger, null, "config", "check", "--config", good.Path);

        Assert.Equal(2, failed.ExitCode);
        Assert.Contains($"{bad.Path}:6:5: unknown key 'polices' under spec.migration", failed.Error, StringComparison.Ordinal);
        Assert.True(passed.ExitCode == 0, passed.ToString());
        Assert.Contains("ledger: configuration and migrations agree.", passed.Output, StringComparison.Ordinal);
        Assert.Contains("policies:      require_validation", passed.Output, StringComparison.Ordinal);
    }
}
