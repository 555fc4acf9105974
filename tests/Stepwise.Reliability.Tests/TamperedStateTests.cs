using Stepwise.Testing;

namespace Stepwise.Reliability.Tests;

/// <summary>
/// Proves: state edited by hand (a checksum, a deleted applied record, a version that is not the runner's, the runner's
/// own schema from a newer release) stops every run that would act on it, with the exit code that names the problem,
/// and the way out is a command, not SQL.
/// </summary>
public sealed class TamperedStateTests(PostgresServer server)
{
    [Fact]
    public async Task EditedChecksum_IsDriftUntilRepairAcceptsIt()
    {
        await using var db = await InstalledAsync("1.1.0");
        await db.ExecuteAsync("UPDATE stepwise.applied_migration SET checksum = 'edited' WHERE name = 'AddNote3'");

        await ExpectAsync(db, 7, "changed  AddNote3", "validate");
        await ExpectAsync(db, 7, "AddNote3 (1.1.0/upgrade/schema-changes/4) changed after it was applied", "upgrade");
        await ExpectAsync(db, 0, "align-checksum", "repair");
        await ExpectAsync(db, 0, "drill is at 1.2.0", "upgrade");
    }

    [Fact]
    public async Task DeletedAppliedRecord_StopsEvenAnAllowDriftRun_AndRepairRestoresItSoRollbackUndoesIt()
    {
        await using var db = await InstalledAsync("1.1.0");
        await db.ExecuteAsync("DELETE FROM stepwise.applied_migration WHERE name = 'AddNote5'");

        await ExpectAsync(db, 0, "unrecorded AddNote5", "status");
        await ExpectAsync(db, 7, "unrecorded AddNote5", "validate");
        await ExpectAsync(db, 7, "AddNote5 (1.1.0/upgrade/schema-changes/6) is applied according to the history, but its applied record was deleted",
            "rollback", "--version", "1.0.0", "--allow-drift");
        await ExpectAsync(db, 0, "restore-record", "repair");
        await ExpectAsync(db, 0, "drill is at 1.0.0", "rollback", "--version", "1.0.0");
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM information_schema.columns WHERE table_name = 'items' AND column_name = 'note5'"));
    }

    [Theory]
    [InlineData("9.9.9", "The database is at drill 9.9.9, which this runner does not know")]
    [InlineData("banana", "The database records version 'banana' for drill, which is not usable")]
    public async Task VersionTheRunnerDoesNotKnow_IsRefused(string version, string expected)
    {
        await using var db = await InstalledAsync("1.0.0");
        await db.ExecuteAsync($"UPDATE stepwise.project_metadata SET current_version = '{version}'");

        await ExpectAsync(db, 10, expected, "upgrade");
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM stepwise.applied_migration"));
    }

    [Fact]
    public async Task RunnerSchemaFromANewerRelease_IsRefusedBeforeAnythingRuns()
    {
        await using var db = await InstalledAsync("1.0.0");
        await db.ExecuteAsync("INSERT INTO stepwise.schema_version (version) VALUES (99)");

        await ExpectAsync(db, 10, "is at version 99, newer than this runner understands", "upgrade");
        Assert.False(await db.ScalarAsync<bool>("SELECT to_regclass('items_payload_idx') IS NOT NULL"));
    }

    private async Task<TestDatabase> InstalledAsync(string version)
    {
        var db = await server.CreateDatabaseAsync();
        await ExpectAsync(db, 0, $"drill is at {version}", "install", "--version", version);
        return db;
    }

    private static async Task ExpectAsync(TestDatabase db, int exitCode, string expected, params string[] args)
    {
        var run = await Drill.RunInProcessAsync(null, [.. args, "--connection", db.ConnectionString]);
        Assert.True(run.ExitCode == exitCode, $"expected exit {exitCode}: {run}");
        Assert.Contains(expected, run.All, StringComparison.Ordinal);
    }
}
