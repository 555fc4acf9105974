using MongoDB.Bson;
using MongoDB.Driver;
using Stepwise.Execution;
using Stepwise.Planning;
using Stepwise.Testing;

namespace Stepwise.Specification.Tests.MongoDb;

/// <summary>
/// A standalone MongoDB server, which has no transactions: a migration written for one runs without, and its Down
/// undoes it when it fails; one that requires a transaction is refused before any step. Skipped, with the reason,
/// where no server can run.
/// </summary>
public sealed class MongoStandaloneTests(MongoStandaloneServer server)
{
    [Fact]
    public async Task StepThatFailsValidate_IsUndoneByItsDown_AndTheVersionIsKept()
    {
        await using var db = await DatabaseAsync();
        await RunAsync(db, [typeof(RecordWidgets)], Operation.Install, "1.0.0");

        var failure = await Assert.ThrowsAsync<StepwiseException>(() =>
            RunAsync(db, [typeof(RecordWidgets), typeof(RecordGadgetsFailingValidate)], Operation.Upgrade, "1.1.0"));

        Assert.Equal(FailureKind.ValidationFailed, failure.Kind);
        Assert.Contains("Down undid the step", failure.Message, StringComparison.Ordinal);
        Assert.Equal(["widgets"], await ThingsAsync(db));
        var applied = db.Database.GetCollection<BsonDocument>("stepwise.applied_migration");
        Assert.Equal(1, await applied.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken: TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task MigrationThatRequiresATransaction_IsRefusedBeforeAnyStep()
    {
        await using var db = await DatabaseAsync();

        var refused = await Assert.ThrowsAsync<StepwiseException>(() =>
            RunAsync(db, [typeof(RecordWidgets), typeof(RecordGadgetsRequiringTransaction)], Operation.Install, "1.1.0"));

        Assert.Equal(FailureKind.Usage, refused.Kind);
        Assert.Contains("requires a transaction", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await ThingsAsync(db));
    }

    private async Task<MongoTestDatabase> DatabaseAsync()
    {
        server.SkipUnlessAvailable();
        var db = await server.CreateDatabaseAsync("standalone");
        await db.Database.CreateCollectionAsync(RecordThing.Things, cancellationToken: TestContext.Current.CancellationToken);
        return db;
    }

    private static async Task<List<string>> ThingsAsync(MongoTestDatabase db) =>
        (await db.Database.GetCollection<BsonDocument>(RecordThing.Things).Find(FilterDefinition<BsonDocument>.Empty)
            .ToListAsync(TestContext.Current.CancellationToken)).Select(static d => d["_id"].AsString).Order().ToList();

    private static Task<RunResult> RunAsync(MongoTestDatabase db, Type[] migrations, Operation operation, string version) =>
        MongoRun.RunAsync(db, migrations, operation, version, TimeSpan.FromSeconds(30));
}
