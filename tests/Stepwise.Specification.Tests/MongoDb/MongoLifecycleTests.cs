using MongoDB.Bson;
using MongoDB.Driver;
using Stepwise.Execution;
using Stepwise.MongoDb;
using Stepwise.Testing;

namespace Stepwise.Specification.Tests.MongoDb;

/// <summary>
/// The lifecycle specification on MongoDB (a single-node replica set, so that steps have transactions). Skipped, with
/// the reason, where no server can run (see <see cref="MongoServer"/>).
/// </summary>
public sealed class MongoLifecycleTests(MongoServer server) : LifecycleSpecification(new MongoUnderTest(server));

internal sealed class MongoUnderTest(MongoServer server) : IEngineUnderTest
{
    public IDatabaseEngine Engine { get; } = new MongoEngine();

    public SpecMigrations Migrations { get; } = new(
        typeof(RecordWidgets), typeof(RecordGadgets), typeof(RecordGizmos), typeof(RecordGadgetsFailingValidate), typeof(RecordGadgetsFailingUp),
        typeof(RecordGizmosFailingUp), typeof(RecordGadgetsFailingDown), typeof(RecordGadgetsChanged),
        typeof(RecordGadgetsChangingWidgets), typeof(RecordGizmosInterrupted));

    public async Task<ISpecDatabase> CreateDatabaseAsync()
    {
        server.SkipUnlessAvailable();
        var db = await server.CreateDatabaseAsync("spec");

        // Created up front: a collection is not created implicitly inside a transaction on a sharded cluster.
        await db.Database.CreateCollectionAsync(RecordThing.Things);
        return new MongoSpecDatabase(db);
    }

    private sealed class MongoSpecDatabase(MongoTestDatabase db) : ISpecDatabase
    {
        private IMongoCollection<BsonDocument> Things => db.Database.GetCollection<BsonDocument>(RecordThing.Things);

        public SessionOptions Session { get; } = new(new DatabaseEndpoint { ConnectionString = db.Url });

        public async Task<bool> HasAsync(string name) => await Things.CountDocumentsAsync(new BsonDocument("_id", name)) > 0;

        public Task CreateAsync(string name) => Things.InsertOneAsync(new BsonDocument("_id", name));

        public async Task<long?> CountAsync(string store)
        {
            using var names = await db.Database.ListCollectionNamesAsync(new ListCollectionNamesOptions { Filter = new BsonDocument("name", store) });
            return await names.AnyAsync()
                ? await db.Database.GetCollection<BsonDocument>(store).CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty)
                : null;
        }

        public Task AddRowsAsync(string store, int count) =>
            db.Database.GetCollection<BsonDocument>(store).InsertManyAsync(Enumerable.Range(0, count).Select(static _ => new BsonDocument("kind", "row")));

        public ValueTask DisposeAsync() => db.DisposeAsync();
    }
}
