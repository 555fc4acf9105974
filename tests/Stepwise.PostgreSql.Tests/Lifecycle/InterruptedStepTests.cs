using Npgsql;
using Stepwise.PostgreSql.Tests.Cli;
using Stepwise.PostgreSql.Tests.Migrations;
using Stepwise.Testing;
using static Stepwise.PostgreSql.Tests.Cli.StepwiseCli;

namespace Stepwise.PostgreSql.Tests.Lifecycle;

/// <summary>
/// A non-transactional step whose runner stops mid-way (here: its connection is ended, as a kill, an eviction or a
/// server restart ends it) is recorded as started, and every later command knows what to do with it, without SQL by hand.
/// </summary>
public sealed class InterruptedStepTests(PostgresServer server)
{
    [Fact]
    public async Task StepStoppedBeforeItChangedAnything_ExitsWithConnectionFailure_AndTheSameCommandResumesIt()
    {
        await using var db = await server.CreateDatabaseAsync();
        await RunAsync(db, Ledger, "install", "--version", "1.0.0");

        var stopped = await StopAtPauseAsync(db, typeof(IndexAccountsPausingFirst), "upgrade", "--version", "1.1.0");

        Assert.True(stopped.ExitCode == 8, stopped.ToString());
        Assert.Contains("Lost the connection to PostgreSQL", stopped.Error, StringComparison.Ordinal);
        Assert.Contains("during Up of IndexAccountsPausingFirst (1.1.0/upgrade/schema-changes/2)", stopped.Error, StringComparison.Ordinal);
        Assert.Contains("run the same command again", stopped.Error, StringComparison.Ordinal);
        Assert.Equal("running", await StatusOfAsync(db, "1.1.0/upgrade/schema-changes/2"));

        var status = await RunAsync(db, LedgerWith(typeof(IndexAccountsPausingFirst)), "status");
        Assert.Contains("Did not finish outside a transaction", status.Output, StringComparison.Ordinal);

        var again = await RunAsync(db, LedgerWith(typeof(IndexAccountsPausingFirst)), "upgrade", "--version", "1.1.0");

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("its Up had changed nothing (PreCheck passes); it runs again", again.Error, StringComparison.Ordinal);
        Assert.Equal("1.1.0", await LedgerState.VersionAsync(db));
        Assert.Equal("applied", await StatusOfAsync(db, "1.1.0/upgrade/schema-changes/2"));
        Assert.True(await db.ScalarAsync<bool>("SELECT to_regclass('accounts_name_idx') IS NOT NULL"));
        // The killed run's audit entry no longer claims to be running.
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM stepwise.audit_log WHERE outcome = 'running'"));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM stepwise.audit_log WHERE outcome = 'interrupted'"));
    }

    [Fact]
    public async Task StepStoppedAfterItFinished_IsRecordedAsAppliedByTheNextRun()
    {
        await using var db = await server.CreateDatabaseAsync();
        await RunAsync(db, Ledger, "install", "--version", "1.0.0");
        await StopAtPauseAsync(db, typeof(IndexAccountsPausingLast), "upgrade", "--version", "1.1.0");

        var again = await RunAsync(db, LedgerWith(typeof(IndexAccountsPausingLast)), "upgrade", "--version", "1.1.0");

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("its Up had finished (Validate passes); recorded as applied", again.Error, StringComparison.Ordinal);
        Assert.Equal("1.1.0", await LedgerState.VersionAsync(db));
        Assert.Equal(1L, await db.ScalarAsync<long>(
            "SELECT count(*) FROM stepwise.migration_history WHERE migration_key = '1.1.0/upgrade/schema-changes/2' AND direction = 'repair' AND leaves_applied"));
    }

    [Fact]
    public async Task StepStoppedHalfWay_IsRefusedWithWhatItsChecksSay_AndRollbackUndoesIt()
    {
        await using var db = await server.CreateDatabaseAsync();
        await RunAsync(db, Ledger, "install", "--version", "1.0.0");
        var migrations = LedgerWith(typeof(IndexAccountsPausingHalfWay));
        await StopAtPauseAsync(db, typeof(IndexAccountsPausingHalfWay), "upgrade", "--version", "1.1.0");

        var again = await RunAsync(db, migrations, "upgrade", "--version", "1.1.0");

        Assert.Equal(10, again.ExitCode);
        Assert.Contains("IndexAccountsPausingHalfWay (1.1.0/upgrade/schema-changes/2) stopped part-way through its Up: " +
            "its PreCheck fails (expected: index accounts_email_idx does not exist yet; found: it does not hold) " +
            "and its Validate fails (expected: index accounts_name_idx exists; found: it does not hold)", again.Error,
            StringComparison.Ordinal);
        Assert.Contains("Undo it with 'rollback --version 1.0.0'", again.Error, StringComparison.Ordinal);
        Assert.Equal("running", await StatusOfAsync(db, "1.1.0/upgrade/schema-changes/2"));

        var rollback = await RunAsync(db, migrations, "rollback");

        Assert.True(rollback.ExitCode == 0, rollback.ToString());
        Assert.Contains("Ran rollback ledger: undid 2 step(s) an unfinished run left above 1.0.0; the version stays 1.0.0", rollback.Output, StringComparison.Ordinal);
        Assert.False(await db.ScalarAsync<bool>("SELECT to_regclass('accounts_email_idx') IS NOT NULL"));
        Assert.Null(await StatusOfAsync(db, "1.1.0/upgrade/schema-changes/2"));
        Assert.Equal("1.0.0", await LedgerState.VersionAsync(db));

        var resumed = await RunAsync(db, LedgerWith(typeof(IndexAccountsPausingFirst)), "upgrade", "--version", "1.1.0");
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
    }

    [Fact]
    public async Task InstallStoppedHalfWay_IsUndoneByRollbackWithoutVersion_ThenInstallsAgain()
    {
        await using var db = await server.CreateDatabaseAsync();
        var migrations = LedgerWith(typeof(IndexAccountsPausingHalfWay));
        await StopAtPauseAsync(db, typeof(IndexAccountsPausingHalfWay), "install", "--version", "1.1.0");

        var refused = await RunAsync(db, migrations, "rollback", "--version", "1.0.0");
        Assert.Equal(10, refused.ExitCode);
        Assert.Contains("'rollback' without --version undoes what that install applied", refused.Error, StringComparison.Ordinal);

        var rollback = await RunAsync(db, migrations, "rollback");

        Assert.True(rollback.ExitCode == 0, rollback.ToString());
        Assert.Matches(@"Ran rollback ledger: undid \d step\(s\) of an install stopped part-way; nothing stays installed", rollback.Output);
        Assert.Contains("ledger is not installed: the unfinished install was undone.", rollback.Output, StringComparison.Ordinal);
        Assert.False(await db.TableExistsAsync("accounts"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM stepwise.applied_migration"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM stepwise.project_metadata"));

        var install = await RunAsync(db, Ledger, "install", "--version", "1.1.0");
        Assert.True(install.ExitCode == 0, install.ToString());
    }

    [Fact]
    public async Task InvalidIndexLeftByAFailedStep_IsNamed_AndBlocksRetryingUntilRolledBack()
    {
        await using var db = await server.CreateDatabaseAsync();
        await RunAsync(db, Ledger, "install", "--version", "1.0.0");
        await db.ExecuteAsync("INSERT INTO accounts (name) VALUES ('twin'), ('twin')");
        var migrations = LedgerWith(typeof(IndexAccountNamesUniquely));

        var failed = await RunAsync(db, migrations, "upgrade", "--version", "1.1.0");

        Assert.Equal(9, failed.ExitCode);
        Assert.Contains("Left behind: index accounts_name_key on accounts is INVALID", failed.Error, StringComparison.Ordinal);
        var status = await RunAsync(db, migrations, "status");
        Assert.Contains("Left behind:      index accounts_name_key on accounts is INVALID", status.Output, StringComparison.Ordinal);

        // Its PreCheck passes (an INVALID index does not count), but running it again would skip the name and fail again.
        var repair = await RunAsync(db, migrations, "repair");
        Assert.Equal(10, repair.ExitCode);
        Assert.Contains("its PreCheck passes, but index accounts_name_key on accounts is INVALID", repair.Error, StringComparison.Ordinal);

        var rollback = await RunAsync(db, migrations, "rollback");

        Assert.True(rollback.ExitCode == 0, rollback.ToString());
        Assert.False(await db.ScalarAsync<bool>("SELECT to_regclass('accounts_name_key') IS NOT NULL"));
        Assert.Null(await StatusOfAsync(db, "1.1.0/upgrade/schema-changes/2"));
    }

    private static Task<string?> StatusOfAsync(TestDatabase db, string key) =>
        db.ScalarAsync<string>($"SELECT status FROM stepwise.applied_migration WHERE project = 'ledger' AND migration_key = '{key}'");

    // Runs the command with the pausing variant while the test holds the pause lock, ends the runner's connection at the
    // pause, and returns what the runner reported.
    private static async Task<CliRun> StopAtPauseAsync(TestDatabase db, Type variant, params string[] args)
    {
        await using var holder = new NpgsqlConnection(db.ConnectionString);
        await holder.OpenAsync(TestContext.Current.CancellationToken);
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({IndexAccountsPausing.PauseKey})", holder))
        {
            await take.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var run = RunAsync(db, LedgerWith(variant), args);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await db.ScalarAsync<long>(
            $"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '{db.Name}' AND query LIKE '%/* paused */%' AND pid <> pg_backend_pid()") == 0)
        {
            Assert.True(DateTime.UtcNow < deadline && !run.IsCompleted, "The step never reached its pause.");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        return await run;
    }
}
