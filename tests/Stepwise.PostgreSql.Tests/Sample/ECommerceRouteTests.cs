using System.Text.Json;
using Stepwise.Testing;
using static Stepwise.PostgreSql.Tests.Sample.SampleRun;

namespace Stepwise.PostgreSql.Tests.Sample;

/// <summary>Every path of the sample's compatibility matrix, against PostgreSQL.</summary>
public sealed class ECommerceRouteTests(PostgresServer server)
{
    [Fact]
    public async Task FreshInstallAt200_UsesThe200NewInstallSet()
    {
        await using var db = await server.CreateDatabaseAsync();

        var run = await RunAsync(db, "install", "--version", "v2.0.0");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("NewInstallSchema,NewInstallIndexes", await HistoryNamesAsync(db));
        Assert.True(await db.TableExistsAsync("order_items"));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'orders' AND column_name = 'shipped_at'"));
    }

    [Fact]
    public async Task Upgrade100To200_GoesThrough110AndRunsTheHopsFromRestrictedMigrations()
    {
        await using var db = await server.CreateDatabaseAsync();
        await RunAsync(db, "install", "--version", "1.0.0");

        var run = await RunAsync(db, "upgrade", "--version", "2.0.0", "--output", "json");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Output);
        Assert.Equal(["1.0.0", "1.1.0", "2.0.0"], json.RootElement.GetProperty("route").EnumerateArray().Select(static v => v.GetString()));
        Assert.Equal(
            "CreateUsersTable,AddOrdersTable,AddOrderIndexes,AddOrderItemsTable,AddShippedAtWhenSkipping120,BackfillShippedAtWhenSkipping120",
            await HistoryNamesAsync(db));
        Assert.Contains("Rehearsal of e-commerce-api passed", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpgradeThrough120_SkipsTheMigrationsRestrictedToTheHopFrom110()
    {
        await using var db = await server.CreateDatabaseAsync();
        await RunAsync(db, "install", "--version", "1.2.0");

        var run = await RunAsync(db, "upgrade", "--version", "2.0.0");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(
            "CreateUsersTable,AddOrdersTable,AddOrderIndexes,AddShippedAt,BackfillShippedAt,AddOrderItemsTable",
            await HistoryNamesAsync(db));
    }

    [Fact]
    public async Task Rollback200To100_WalksBackThrough110()
    {
        await using var db = await server.CreateDatabaseAsync();
        await RunAsync(db, "install", "--version", "1.0.0");
        await RunAsync(db, "upgrade", "--version", "2.0.0");

        var run = await RunAsync(db, "rollback", "--version", "1.0.0");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("route: 2.0.0 -> 1.1.0 -> 1.0.0", run.Output, StringComparison.Ordinal);
        Assert.False(await db.TableExistsAsync("orders"));
        Assert.True(await db.TableExistsAsync("users"));
        Assert.Equal("1.0.0", await db.ScalarAsync<string>("SELECT current_version FROM stepwise.project_metadata"));
    }

    [Fact]
    public async Task RollbackToAVersionTheDatabaseSkipped_IsRefused()
    {
        await using var db = await server.CreateDatabaseAsync();
        await RunAsync(db, "install", "--version", "1.1.0");
        await RunAsync(db, "upgrade", "--version", "2.0.0");

        var run = await RunAsync(db, "rollback", "--version", "1.2.0");

        Assert.Equal(10, run.ExitCode);
        Assert.Contains("never was at 1.2.0 in this database", run.Error, StringComparison.Ordinal);
        Assert.True(await db.TableExistsAsync("order_items"));
    }

    [Fact]
    public async Task RollbackBelowTheNewInstallSet_IsRefused()
    {
        await using var db = await server.CreateDatabaseAsync();
        await RunAsync(db, "install", "--version", "2.0.0");

        var run = await RunAsync(db, "rollback", "--version", "1.1.0");

        Assert.Equal(10, run.ExitCode);
        Assert.Contains("installed directly at 2.0.0 cannot go below it", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rollback120To100_FollowsTheMatrixThrough110()
    {
        await using var db = await server.CreateDatabaseAsync();
        await RunAsync(db, "install", "--version", "1.2.0");

        var run = await RunAsync(db, "rollback", "--version", "1.0.0");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("route: 1.2.0 -> 1.1.0 -> 1.0.0", run.Output, StringComparison.Ordinal);
    }
}
