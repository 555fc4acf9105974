using Stepwise.Testing;

namespace Stepwise.Reliability.Tests;

/// <summary>
/// Proves: SIGTERM (Kubernetes stopping the pod) during a CREATE INDEX CONCURRENTLY stops the runner within the grace
/// period with exit 130; the INVALID index PostgreSQL leaves is named by the next run, which will not run the step over
/// it, and 'rollback' clears it.
/// </summary>
public sealed class SignalTests(PostgresServer server)
{
    [Fact]
    public async Task SigtermDuringCreateIndexConcurrently_ExitsCancelled_AndTheInvalidIndexIsNamedThenRolledBack()
    {
        await using var db = await server.CreateDatabaseAsync();
        Assert.Equal(0, (await Drill.RunAsync(db.ConnectionString, "install", "--version", "1.0.0")).ExitCode);

        // An open writing transaction on items makes CREATE INDEX CONCURRENTLY wait, with its index already in the
        // catalog as INVALID, exactly where a long build on a busy table spends its time.
        await using var writer = await Drill.ConnectAsync(db, "busy-writer");
        await using var transaction = await writer.BeginTransactionAsync(TestContext.Current.CancellationToken);
        await using (var update = new Npgsql.NpgsqlCommand("UPDATE items SET payload = payload WHERE id = 1", writer, transaction))
        {
            await update.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        using var runner = Drill.Start(db.ConnectionString, 0, "upgrade", "--version", "1.1.0");
        await Drill.WaitUntilAsync(db,
            $"EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = '{db.Name}' AND query LIKE 'CREATE INDEX CONCURRENTLY%' AND wait_event_type = 'Lock')",
            "CREATE INDEX CONCURRENTLY waits", runner);
        var signalled = DateTime.UtcNow;
        runner.Terminate();
        var stopped = await runner.FinishAsync(TimeSpan.FromSeconds(25));
        await transaction.RollbackAsync(TestContext.Current.CancellationToken);

        Assert.True(stopped.ExitCode == 130, stopped.ToString());
        Assert.True(DateTime.UtcNow - signalled < TimeSpan.FromSeconds(25), "The runner outlived the grace period.");
        Assert.Contains("Cancelled during IndexItems (1.1.0/upgrade/schema-changes/1)", stopped.Error, StringComparison.Ordinal);
        Assert.Contains("Left behind: index items_payload_idx on items is INVALID", stopped.Error, StringComparison.Ordinal);

        var again = await Drill.RunAsync(db.ConnectionString, "upgrade", "--version", "1.1.0");
        Assert.Equal(10, again.ExitCode);
        Assert.Contains("its PreCheck passes, but index items_payload_idx on items is INVALID", again.Error, StringComparison.Ordinal);

        Assert.Equal(0, (await Drill.RunAsync(db.ConnectionString, "rollback")).ExitCode);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_index WHERE NOT indisvalid"));
        var upgraded = await Drill.RunAsync(db.ConnectionString, "upgrade");
        Assert.True(upgraded.ExitCode == 0, upgraded.ToString());
        await Drill.AssertCompleteAsync(db);
    }
}
