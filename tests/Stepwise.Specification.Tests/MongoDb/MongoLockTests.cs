using MongoDB.Bson;
using MongoDB.Driver;
using Stepwise.Execution;
using Stepwise.Planning;
using Stepwise.Testing;

namespace Stepwise.Specification.Tests.MongoDb;

/// <summary>
/// The MongoDB lock's lease on a real server, as a killed runner leaves it: a lease that has ended is taken over, a live
/// one is waited for and named. Expiry is the server's judgement (<c>$$NOW</c>), so the leases here are minutes away from
/// now on either side. Skipped, with the reason, where no server can run.
/// </summary>
public sealed class MongoLockTests(MongoServer server)
{
    private const string Lock = "stepwise.lock";

    [Fact]
    public async Task LeaseOfAKilledRunner_IsTakenOverOnceItHasEnded()
    {
        await using var db = await DatabaseAsync();
        await LeftBehindAsync(db, expiresIn: TimeSpan.FromMinutes(-1));

        var result = await InstallAsync(db, TimeSpan.FromSeconds(5));

        Assert.Equal(1, result.StepsRun);
        // Released when the run ended: nothing of the dead runner's lease is left.
        Assert.Equal(0, await db.Database.GetCollection<BsonDocument>(Lock).CountDocumentsAsync(new BsonDocument("_id", "spec"), cancellationToken: TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task LiveLease_IsWaitedFor_ThenTheTimeoutNamesItsHolder()
    {
        await using var db = await DatabaseAsync();
        await LeftBehindAsync(db, expiresIn: TimeSpan.FromMinutes(10));

        var timeout = await Assert.ThrowsAsync<StepwiseException>(() => InstallAsync(db, TimeSpan.FromSeconds(2)));

        Assert.Equal(FailureKind.LockTimeout, timeout.Kind);
        Assert.Contains("runner on gone-pod", timeout.Message, StringComparison.Ordinal);
        Assert.Contains("lease ends", timeout.Message, StringComparison.Ordinal);
        Assert.Equal(0, await db.Database.GetCollection<BsonDocument>(RecordThing.Things).CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken: TestContext.Current.CancellationToken));
    }

    private async Task<MongoTestDatabase> DatabaseAsync()
    {
        server.SkipUnlessAvailable();
        var db = await server.CreateDatabaseAsync("lock");
        await db.Database.CreateCollectionAsync(RecordThing.Things);
        return db;
    }

    // The lock document a runner killed mid-run leaves: its lease, renewed no more, ends at now + expiresIn.
    private static Task LeftBehindAsync(MongoTestDatabase db, TimeSpan expiresIn) =>
        db.Database.GetCollection<BsonDocument>(Lock).InsertOneAsync(new BsonDocument
        {
            { "_id", "spec" },
            { "owner", "0badc0de" },
            { "holder", "runner on gone-pod (pid 1) for spec" },
            { "acquired_at", DateTime.UtcNow.AddMinutes(-5) },
            { "renewed_at", DateTime.UtcNow.AddMinutes(-2) },
            { "expires_at", DateTime.UtcNow + expiresIn },
        });

    private static Task<RunResult> InstallAsync(MongoTestDatabase db, TimeSpan lockTimeout) =>
        MongoRun.RunAsync(db, [typeof(RecordWidgets)], Operation.Install, "1.0.0", lockTimeout);
}
