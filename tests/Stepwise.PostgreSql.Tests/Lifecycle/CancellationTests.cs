using Microsoft.Extensions.DependencyInjection;
using Stepwise.Hosting;
using Stepwise.PostgreSql.Tests.Cli;
using Stepwise.PostgreSql.Tests.Migrations;
using Stepwise.Testing;
using static Stepwise.PostgreSql.Tests.Cli.StepwiseCli;

namespace Stepwise.PostgreSql.Tests.Lifecycle;

public sealed class CancellationTests(PostgresServer server)
{
    [Fact]
    public async Task CancellingDuringAStep_RollsItBackRecordsItAndExitsWith130()
    {
        await using var db = await server.CreateDatabaseAsync();
        await RunAsync(db, Ledger, "install", "--version", "1.1.0");
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var error = new StringWriter();
        var options = new StepwiseHostOptions { Output = new StringWriter(), Error = error, EnvironmentVariables = static _ => null };
        foreach (var type in LedgerWith(typeof(CreateTransfersSlowly)))
        {
            options.MigrationTypes.Add(type);
        }

        var run = StepwiseHost.RunAsync(["upgrade", "--version", "2.0.0", "--connection", db.ConnectionString], options, cancellation.Token);
        await WaitUntilAsync(db, "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%slow transfers%' AND pid <> pg_backend_pid()");
        await cancellation.CancelAsync();
        var exit = await run;

        Assert.Equal(130, exit);
        Assert.Contains("Cancelled during CreateTransfersSlowly", error.ToString(), StringComparison.Ordinal);
        Assert.False(await db.TableExistsAsync("transfers"));
        Assert.Equal("1.1.0", await LedgerState.VersionAsync(db));
        Assert.Equal(1L, await LedgerState.HistoryCountAsync(db, status: "interrupted"));
    }

    private static async Task WaitUntilAsync(TestDatabase db, string countQuery)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await db.ScalarAsync<long>(countQuery) == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "The step never started.");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}
