using Stepwise.Testing;

namespace Stepwise.Reliability.Tests;

/// <summary>
/// Proves: a runner killed with SIGKILL (the OOM killer, a lost node) at any moment leaves a database that the same
/// command brings to its target, or, when a non-transactional step stopped half-way, that the documented recovery
/// ('rollback', then the same command) brings there: never SQL by hand, never a step applied twice.
/// </summary>
public sealed class KillTests(PostgresServer server)
{
    [Fact]
    public async Task KilledAtRandomMoments_TheSameCommandOrRollbackThenIt_ReachesTheTarget()
    {
        await using var db = await server.CreateDatabaseAsync();
        var seed = Environment.TickCount;
        var random = new Random(seed);
        TestContext.Current.TestOutputHelper?.WriteLine($"seed {seed}");
        var log = new List<string>();

        for (var round = 0; round < 8; round++)
        {
            // Alternate installs (from an empty database) and upgrades (from 1.0.0); kill somewhere in the first ~2 s.
            var installed = round % 2 == 1;
            if (installed)
            {
                await AssertSucceedsAsync(Drill.RunAsync(db.ConnectionString, "rollback", "--version", "1.0.0"));
            }
            else if (round > 0)
            {
                await ResetAsync(db);
            }

            var command = installed ? "upgrade" : "install";
            var delay = TimeSpan.FromMilliseconds(random.Next(250, 2200));
            using (var runner = Drill.Start(db.ConnectionString, 0.15, command))
            {
                await Task.Delay(delay, TestContext.Current.CancellationToken);
                if (!runner.HasExited)
                {
                    runner.KillHard();
                }

                var killed = await runner.FinishAsync();
                log.Add($"round {round}: {command} killed after {delay.TotalMilliseconds:0} ms (exit {killed.ExitCode}), leaving {await LeftAsync(db)}");
            }

            var again = await Drill.RunAsync(db.ConnectionString, command);
            if (again.ExitCode == 10 && again.Error.Contains("stopped part-way", StringComparison.Ordinal))
            {
                log.Add($"round {round}: half-way step undone with rollback");
                await AssertSucceedsAsync(Drill.RunAsync(db.ConnectionString, "rollback"));
                again = await Drill.RunAsync(db.ConnectionString, command);
            }

            Assert.True(again.ExitCode == 0, string.Join("\n", log) + "\n" + again);
            await Drill.AssertCompleteAsync(db);
        }

        TestContext.Current.TestOutputHelper?.WriteLine(string.Join("\n", log));
    }

    [Fact]
    public async Task KilledInsideALongTransactionalStep_LeavesNothingOfIt_AndTheReRunAppliesItOnce()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var runner = Drill.Start(db.ConnectionString, 2, "install");
        await Drill.WaitUntilAsync(db, Drill.PausedAfter(db, applied: 1), "FillItems pauses", runner);

        runner.KillHard();
        await runner.FinishAsync();

        var again = await Drill.RunAsync(db.ConnectionString, "install");
        Assert.True(again.ExitCode == 0, again.ToString());
        await Drill.AssertCompleteAsync(db);
        Assert.Equal(1L, await db.ScalarAsync<long>(
            "SELECT count(*) FROM stepwise.migration_history WHERE name = 'FillItems' AND direction = 'up' AND status = 'succeeded'"));
    }

    [Fact]
    public async Task KilledInsideALongNonTransactionalStep_IsRefusedWithWhatItLeft_AndRollbackThenInstallRecovers()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var runner = Drill.Start(db.ConnectionString, 2, "install", "--version", "1.1.0");
        // IndexItems pauses between its two indexes: the first is built, the second not.
        await Drill.WaitUntilAsync(db, Drill.PausedAfter(db, applied: 2) + " AND to_regclass('items_payload_idx') IS NOT NULL", "IndexItems pauses", runner);

        runner.KillHard();
        await runner.FinishAsync();

        var again = await Drill.RunAsync(db.ConnectionString, "install", "--version", "1.1.0");
        Assert.Equal(10, again.ExitCode);
        Assert.Contains("IndexItems (1.1.0/upgrade/schema-changes/1) stopped part-way through its Up", again.Error, StringComparison.Ordinal);
        Assert.Contains("Undo it with 'rollback' (it undoes the install stopped part-way)", again.Error, StringComparison.Ordinal);

        await AssertSucceedsAsync(Drill.RunAsync(db.ConnectionString, "rollback"));
        Assert.False(await db.TableExistsAsync("items"));

        await AssertSucceedsAsync(Drill.RunAsync(db.ConnectionString, "install"));
        await Drill.AssertCompleteAsync(db);
    }

    private static async Task AssertSucceedsAsync(Task<CliRun> run)
    {
        var result = await run;
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    private static async Task<string?> LeftAsync(TestDatabase db)
    {
        try
        {
            return await db.ScalarAsync<string>("SELECT coalesce(string_agg(name || ' ' || status, ', ' ORDER BY sequence), 'nothing') FROM stepwise.applied_migration");
        }
        catch (Npgsql.PostgresException ex) when (ex.SqlState == Npgsql.PostgresErrorCodes.UndefinedTable)
        {
            return "no stepwise schema yet";
        }
    }

    private static async Task ResetAsync(TestDatabase db) =>
        await db.ExecuteAsync("DROP SCHEMA IF EXISTS stepwise CASCADE; DROP TABLE IF EXISTS tags, items CASCADE;");
}
