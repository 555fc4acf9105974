using Npgsql;
using Stepwise.PostgreSql.Internal;
using Stepwise.PostgreSql.Tests.Cli;
using Stepwise.Testing;
using static Stepwise.PostgreSql.Tests.Cli.StepwiseCli;

namespace Stepwise.PostgreSql.Tests.Lifecycle;

public sealed class ConcurrencyTests(PostgresServer server)
{
    [Fact]
    public async Task TwoRunnersStartedTogether_ApplyEachMigrationExactlyOnce()
    {
        await using var db = await server.CreateDatabaseAsync();
        await RunAsync(db, Ledger, "status"); // nothing created; both runners start from an empty database

        // Hold the project's lock so both runners are certainly waiting at the same moment, then let them race.
        await using var holder = await HoldLockAsync(db);
        var first = RunAsync(db, Ledger, "install", "--version", "2.0.0");
        var second = RunAsync(db, Ledger, "install", "--version", "2.0.0");
        await WaitForLockWaitersAsync(db, 2);
        await holder.DisposeAsync();

        var runs = await Task.WhenAll(first, second);

        Assert.All(runs, static r => Assert.True(r.ExitCode == 0, r.ToString()));
        Assert.Single(runs, static r => r.Output.Contains("nothing to do", StringComparison.Ordinal));
        Assert.Equal(4L, await LedgerState.HistoryCountAsync(db));
        Assert.Equal(0L, await LedgerState.HistoryCountAsync(db, status: "failed"));
        Assert.Equal("2.0.0", await LedgerState.VersionAsync(db));
    }

    [Fact]
    public async Task RunnerThatCannotGetTheLockInTime_ExitsWithLockTimeoutAndChangesNothing()
    {
        await using var db = await server.CreateDatabaseAsync();
        await using var holder = await HoldLockAsync(db);

        var run = await RunAsync(db, Ledger, "install", "--version", "1.0.0", "--lock-timeout", "1s");

        Assert.Equal(6, run.ExitCode);
        Assert.Contains("Another runner has held the lock of ledger", run.Error, StringComparison.Ordinal);
        Assert.Matches(@"held by pid \d+, application 'lock-holder', client 127\.0\.0\.1, user \w+, connected since \d{4}-\d\d-\d\d ", run.Error);
        Assert.False(await db.TableExistsAsync("accounts"));
    }

    [Fact]
    public async Task RunnerWithNothingToDo_AnswersWithoutWaitingForTheLock()
    {
        await using var db = await server.CreateDatabaseAsync();
        await RunAsync(db, Ledger, "install", "--version", "2.0.0");
        await using var holder = await HoldLockAsync(db);

        var run = await RunAsync(db, Ledger, "upgrade", "--version", "2.0.0", "--lock-timeout", "1s");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("nothing to do", run.Output, StringComparison.Ordinal);
    }

    private static async Task<NpgsqlConnection> HoldLockAsync(TestDatabase db)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(db.ConnectionString) { ApplicationName = "lock-holder" }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_advisory_lock($1)", connection) { Parameters = { new() { Value = AdvisoryLockKey.For("ledger") } } };
        await command.ExecuteNonQueryAsync();
        return connection;
    }

    private static async Task WaitForLockWaitersAsync(TestDatabase db, int count)
    {
        // A runner opens its lock connection only to take the lock; while the test holds it, an open lock connection
        // means a runner is waiting. The deadline only bounds a broken run.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await db.ScalarAsync<long>($"SELECT count(*) FROM pg_stat_activity WHERE application_name = 'stepwise (lock)' AND datname = '{db.Name}'") < count)
        {
            Assert.True(DateTime.UtcNow < deadline, "The runners never queued for the lock.");
            await Task.Delay(20);
        }
    }
}
