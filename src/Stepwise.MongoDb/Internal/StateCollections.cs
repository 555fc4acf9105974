using MongoDB.Bson;
using MongoDB.Driver;

namespace Stepwise.MongoDb.Internal;

/// <summary>
/// The runner's own collections, named <c>stepwise.*</c> in the migrated database (<c>db.stepwise.audit_log</c> in the
/// shell), and the numbered steps that evolve them: the same records as PostgreSQL's <c>stepwise</c> schema.
/// </summary>
internal static class StateCollections
{
    public const string ProjectMetadata = "stepwise.project_metadata";
    public const string AppliedMigration = "stepwise.applied_migration";
    public const string MigrationHistory = "stepwise.migration_history";
    public const string AuditLog = "stepwise.audit_log";
    public const string Locks = "stepwise.lock";
    public const string Counters = "stepwise.counter";
    public const string Store = "stepwise.store";
    public const string Backups = "stepwise.backup";

    /// <summary>The lock document that holds the store while it evolves, beside the projects' own.</summary>
    public const string StoreLockId = "~store";

    /// <summary>The store document's id: <c>{ _id: "store", version: n }</c>.</summary>
    public const string StoreId = "store";

    private const int NamespaceExists = 48;

    /// <summary>
    /// The numbered steps. Collections are created explicitly, outside any transaction, so that a step's transaction
    /// never has to create one.
    /// </summary>
    public static readonly IReadOnlyList<Func<IMongoDatabase, CancellationToken, Task>> Steps =
    [
        async (db, ct) =>
        {
            foreach (var name in new[] { ProjectMetadata, AppliedMigration, MigrationHistory, AuditLog, Locks, Counters })
            {
                await CreateCollectionAsync(db, name, ct).ConfigureAwait(false);
            }

            await IndexAsync(db, MigrationHistory, new BsonDocument { { "project", 1 }, { "id", -1 } }, "project_id", unique: true, ct).ConfigureAwait(false);
            await IndexAsync(db, AppliedMigration, new BsonDocument { { "project", 1 }, { "sequence", 1 } }, "project_sequence", unique: false, ct).ConfigureAwait(false);
            await IndexAsync(db, AuditLog, new BsonDocument("id", 1), "id", unique: true, ct).ConfigureAwait(false);
            await IndexAsync(db, AuditLog, new BsonDocument { { "project", 1 }, { "id", -1 } }, "project_id", unique: false, ct).ConfigureAwait(false);
        },
        async (db, ct) =>
        {
            // The audit command counts each run's steps.
            await IndexAsync(db, MigrationHistory, new BsonDocument("run_id", 1), "run_id", unique: false, ct).ConfigureAwait(false);
        },
        async (db, ct) =>
        {
            // Policy backup_before_upgrade's records (MongoBackups), listed by project; no two records share a collection.
            await CreateCollectionAsync(db, Backups, ct).ConfigureAwait(false);
            await IndexAsync(db, Backups, new BsonDocument { { "project", 1 }, { "created_at", 1 } }, "project_created_at", unique: false, ct).ConfigureAwait(false);
            await IndexAsync(db, Backups, new BsonDocument("backup", 1), "backup", unique: true, ct).ConfigureAwait(false);
        },
    ];

    private static async Task CreateCollectionAsync(IMongoDatabase db, string name, CancellationToken ct)
    {
        try
        {
            await db.CreateCollectionAsync(name, cancellationToken: ct).ConfigureAwait(false);
        }
        catch (MongoCommandException ex) when (ex.Code == NamespaceExists)
        {
            // Another runner created it first; the step is idempotent.
        }
    }

    // createIndexes with the same name and keys is a no-op, so a step that two runners race through is harmless.
    private static Task IndexAsync(IMongoDatabase db, string collection, BsonDocument keys, string name, bool unique, CancellationToken ct) =>
        db.GetCollection<BsonDocument>(collection).Indexes.CreateOneAsync(
            new CreateIndexModel<BsonDocument>(keys, new CreateIndexOptions { Name = name, Unique = unique }), cancellationToken: ct);
}
