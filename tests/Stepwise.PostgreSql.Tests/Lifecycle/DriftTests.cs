using Stepwise.PostgreSql.Tests.Cli;
using Stepwise.PostgreSql.Tests.Migrations;
using Stepwise.Testing;
using static Stepwise.PostgreSql.Tests.Cli.StepwiseCli;

namespace Stepwise.PostgreSql.Tests.Lifecycle;

public sealed class DriftTests(PostgresServer server)
{
    [Fact]
    public async Task Validate_OnAMatchingDatabase_Succeeds()
    {
        await using var db = await server.CreateDatabaseAsync();
        await RunAsync(db, Ledger, "install", "--version", "2.0.0");

        var run = await RunAsync(db, Ledger, "validate");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("all 4 applied migration(s) match the code", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangedMigration_IsReportedByValidateAndStopsUpgradeUntilRepaired()
    {
        await using var db = await server.CreateDatabaseAsync();
        await RunAsync(db, Ledger, "install", "--version", "1.1.0");
        // What the database recorded no longer matches the code, as after someone edited an applied migration.
        await db.ExecuteAsync("UPDATE stepwise.applied_migration SET checksum = 'edited-after-apply' WHERE migration_key = '1.0.0/upgrade/schema-changes/1'");

        var validate = await RunAsync(db, Ledger, "validate");
        Assert.Equal(7, validate.ExitCode);
        Assert.Contains("changed  CreateAccounts [1.0.0/upgrade/schema-changes/1]", validate.Output, StringComparison.Ordinal);

        var upgrade = await RunAsync(db, Ledger, "upgrade", "--version", "2.0.0");
        Assert.Equal(7, upgrade.ExitCode);
        Assert.Contains("CreateAccounts (1.0.0/upgrade/schema-changes/1) changed after it was applied", upgrade.Error, StringComparison.Ordinal);
        Assert.False(await db.TableExistsAsync("transfers"));

        var repair = await RunAsync(db, Ledger, "repair");
        Assert.True(repair.ExitCode == 0, repair.ToString());
        Assert.Contains("align-checksum", repair.Output, StringComparison.Ordinal);
        Assert.Equal(0, (await RunAsync(db, Ledger, "validate")).ExitCode);
        Assert.Equal(0, (await RunAsync(db, Ledger, "upgrade", "--version", "2.0.0")).ExitCode);
    }

    [Fact]
    public async Task AllowDrift_RunsDespiteAChangedMigration()
    {
        await using var db = await server.CreateDatabaseAsync();
        await RunAsync(db, Ledger, "install", "--version", "1.1.0");
        await db.ExecuteAsync("UPDATE stepwise.applied_migration SET checksum = 'edited-after-apply' WHERE migration_key = '1.0.0/upgrade/schema-changes/1'");

        var run = await RunAsync(db, Ledger, "upgrade", "--version", "2.0.0", "--allow-drift");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Drift (allowed for this run)", run.Output, StringComparison.Ordinal);
        Assert.True(await db.TableExistsAsync("transfers"));
    }

    [Fact]
    public async Task AppliedMigrationRemovedFromTheCode_IsReportedAsMissing()
    {
        await using var db = await server.CreateDatabaseAsync();
        await RunAsync(db, Ledger, "install", "--version", "2.0.0");

        var run = await RunAsync(db, [typeof(CreateAccounts), typeof(AddAccountEmail), typeof(IndexAccountEmail)], "validate", "--output", "json");

        Assert.Equal(7, run.ExitCode);
        Assert.Contains("\"kind\": \"missing\"", run.Output, StringComparison.Ordinal);
        Assert.Contains("CreateTransfers", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeletedAppliedRecord_IsFoundByStatusValidateAndUpgrade_AndRepairRecordsItSoRollbackUndoesIt()
    {
        await using var db = await server.CreateDatabaseAsync();
        await RunAsync(db, Ledger, "install", "--version", "2.0.0");
        await db.ExecuteAsync("DELETE FROM stepwise.applied_migration WHERE migration_key = '2.0.0/upgrade/schema-changes/1'");

        var status = await RunAsync(db, Ledger, "status");
        Assert.Contains("unrecorded CreateTransfers [2.0.0/upgrade/schema-changes/1]", status.Output, StringComparison.Ordinal);

        var validate = await RunAsync(db, Ledger, "validate");
        Assert.Equal(7, validate.ExitCode);

        // Not even --allow-drift runs past it: the plan would think CreateTransfers was never applied.
        var rollback = await RunAsync(db, Ledger, "rollback", "--version", "1.1.0", "--allow-drift");
        Assert.Equal(7, rollback.ExitCode);
        Assert.Contains("CreateTransfers (2.0.0/upgrade/schema-changes/1) is applied according to the history, but its applied record was deleted", rollback.Error,
            StringComparison.Ordinal);
        Assert.True(await db.TableExistsAsync("transfers"));

        var repair = await RunAsync(db, Ledger, "repair");
        Assert.True(repair.ExitCode == 0, repair.ToString());
        Assert.Contains("restore-record", repair.Output, StringComparison.Ordinal);

        var undo = await RunAsync(db, Ledger, "rollback", "--version", "1.1.0");
        Assert.True(undo.ExitCode == 0, undo.ToString());
        Assert.False(await db.TableExistsAsync("transfers"));
    }
}
