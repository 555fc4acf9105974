using System.Security.Cryptography;
using System.Text;
using MongoDB.Bson;
using MongoDB.Driver;
using Stepwise.Execution;
using Stepwise.Versioning;

namespace Stepwise.MongoDb.Internal;

/// <summary>
/// Policy <c>backup_before_upgrade</c> on MongoDB: a copy of each collection a step declares it changes, in collection
/// <c>stepwise_backup.{project}@{version}@{collection}</c>, recorded in <c>stepwise.backup</c>.
/// </summary>
/// <remarks>
/// MongoDB refuses <c>$out</c> inside a transaction, so the copy is taken and recorded before the step's first command,
/// outside its transaction. It stays when the step fails: the database is then as it was before the version, which is
/// what the copy holds, and the next attempt keeps it as the first copy of the version. Indexes and validators are not
/// copied, as PostgreSQL's copies keep no indexes or constraints either.
/// </remarks>
internal static class MongoBackups
{
    /// <summary>What every backup collection's name starts with.</summary>
    public const string Prefix = "stepwise_backup.";

    // MongoDB 4.4 and later: database name, '.', collection name, in UTF-8, for an unsharded collection (which $out writes).
    private const int MaxNamespaceBytes = 255;

    /// <summary>
    /// The backup of <paramref name="source"/> for one project version. '@' appears in neither a project name nor a
    /// version (a pre-release may hold dots, a collection name '@'), so the first two '@' split any name back into its
    /// three parts and no two backups share one; a name too long for MongoDB is replaced by a hash of it, which the
    /// record keeps. Should two hashes ever meet, the copy is refused before <c>$out</c> could overwrite the other
    /// record's collection (a unique index on the records' <c>backup</c> field backs that).
    /// </summary>
    public static string CollectionName(string database, string project, string version, string source)
    {
        var name = $"{Prefix}{project}@{version}@{source}";
        if (Encoding.UTF8.GetByteCount(database) + 1 + Encoding.UTF8.GetByteCount(name) <= MaxNamespaceBytes)
        {
            return name;
        }

        return Prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..32];
    }

    public static async Task<IReadOnlyList<BackupRecord>> ListAsync(IMongoDatabase db, string project, CancellationToken cancellationToken)
    {
        var documents = await Records(db).Find(new BsonDocument("project", project)).Sort(new BsonDocument { { "created_at", 1 }, { "source", 1 } })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return documents.Select(ToRecord).ToList();
    }

    /// <summary>Drops the project's backups of one version (all when <paramref name="version"/> is null), each collection before its record.</summary>
    public static async Task<IReadOnlyList<BackupRecord>> DropAsync(IMongoDatabase db, string project, ProjectVersion? version, CancellationToken cancellationToken)
    {
        var existing = (await ListAsync(db, project, cancellationToken).ConfigureAwait(false))
            .Where(b => version is null || b.Version == version.ToString())
            .ToList();
        foreach (var backup in existing)
        {
            // A record whose collection is already gone (a drop stopped half-way) is simply removed.
            await DropCollectionAsync(db, backup.Backup, cancellationToken).ConfigureAwait(false);
            await Records(db).DeleteOneAsync(new BsonDocument("_id", Id(backup.Project, backup.Version, backup.Source)), cancellationToken)
                .ConfigureAwait(false);
        }

        return existing;
    }

    /// <summary>Copies the declared collections that exist, unless this version already has a copy of them.</summary>
    /// <remarks>
    /// The lease is confirmed with the server before each copy and each record, as before a step's commit: a copy can take
    /// long, and a runner that lost the lock meanwhile must not overwrite what the new holder may be copying.
    /// </remarks>
    public static async Task<IReadOnlyList<BackupRecord>> TakeAsync(IMongoDatabase db, MongoLease lease, StepStart step, IReadOnlyList<string> collections,
        CancellationToken cancellationToken)
    {
        var project = step.Run.Project;
        var version = step.Migration.Version.ToString();
        var taken = new List<BackupRecord>();
        foreach (var source in collections.Distinct(StringComparer.Ordinal))
        {
            if (!await ExistsAsync(db, source, cancellationToken).ConfigureAwait(false))
            {
                continue; // Nothing to keep: the collection does not exist yet.
            }

            var id = Id(project, version, source);
            if (await Records(db).Find(new BsonDocument("_id", id)).AnyAsync(cancellationToken).ConfigureAwait(false))
            {
                continue; // The first copy of a version holds the state before the version: keep it.
            }

            // $out replaces a collection of that name: a copy a killed runner made but never recorded is made again, but
            // never one that another record holds.
            var backup = CollectionName(db.DatabaseNamespace.DatabaseName, project, version, source);
            if (await Records(db).Find(new BsonDocument("backup", backup)).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false) is { } holder)
            {
                var other = ToRecord(holder);
                throw new StepwiseException(FailureKind.Usage,
                    $"The backup of '{EchoedInput.Show(source)}' for {project} {version} would be written to '{backup}', which holds the backup of " +
                    $"'{EchoedInput.Show(other.Source)}' for {other.Project} {other.Version}. Drop that one first ('backups drop --version {other.Version}' " +
                    $"of project {other.Project}), or turn policy backup_before_upgrade off for this version.");
            }

            await lease.ConfirmAsync(cancellationToken).ConfigureAwait(false);
            await db.GetCollection<BsonDocument>(source)
                .AggregateToCollectionAsync(PipelineDefinition<BsonDocument, BsonDocument>.Create(new BsonDocument("$out", backup)), cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            var rows = await db.GetCollection<BsonDocument>(backup).CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            var record = new BackupRecord(project, version, source, backup, rows, step.Migration.Key, Milliseconds(DateTimeOffset.UtcNow));
            await lease.ConfirmAsync(cancellationToken).ConfigureAwait(false);
            await Records(db).InsertOneAsync(ToDocument(record, step.Run.RunId), cancellationToken: cancellationToken).ConfigureAwait(false);
            taken.Add(record);
        }

        return taken;
    }

    /// <summary>The backup collection of <paramref name="source"/> for the project's version, or <c>null</c> when there is none.</summary>
    public static async Task<string?> FindAsync(IMongoDatabase db, IClientSessionHandle session, string project, string version, string source,
        CancellationToken cancellationToken)
    {
        var found = await Records(db).Find(session, new BsonDocument("_id", Id(project, version, source))).FirstOrDefaultAsync(cancellationToken)
            .ConfigureAwait(false);
        return found?["backup"].AsString;
    }

    public static BsonDocument ToDocument(BackupRecord record, Guid runId) => new()
    {
        { "_id", Id(record.Project, record.Version, record.Source) },
        { "project", record.Project },
        { "version", record.Version },
        { "source", record.Source },
        { "backup", record.Backup },
        { "row_count", record.Rows },
        { "migration_key", record.MigrationKey },
        { "run_id", runId.ToString() },
        { "created_at", record.CreatedAt.UtcDateTime },
    };

    public static BackupRecord ToRecord(BsonDocument document) => new(
        document["project"].AsString, document["version"].AsString, document["source"].AsString, document["backup"].AsString,
        document["row_count"].ToInt64(), document["migration_key"].AsString, new DateTimeOffset(document["created_at"].ToUniversalTime(), TimeSpan.Zero));

    // What a BSON date keeps of a time.
    private static DateTimeOffset Milliseconds(DateTimeOffset time) => time.AddTicks(-(time.Ticks % TimeSpan.TicksPerMillisecond));

    // One record per project, version and collection: the key that keeps the first copy of a version.
    private static BsonDocument Id(string project, string version, string source) =>
        new() { { "project", project }, { "version", version }, { "source", source } };

    private static IMongoCollection<BsonDocument> Records(IMongoDatabase db) => db.GetCollection<BsonDocument>(StateCollections.Backups);

    private static async Task<bool> ExistsAsync(IMongoDatabase db, string collection, CancellationToken cancellationToken)
    {
        using var names = await db.ListCollectionNamesAsync(new ListCollectionNamesOptions { Filter = new BsonDocument("name", collection) }, cancellationToken)
            .ConfigureAwait(false);
        return await names.AnyAsync(cancellationToken).ConfigureAwait(false);
    }

    private const int NamespaceNotFound = 26;

    private static async Task DropCollectionAsync(IMongoDatabase db, string name, CancellationToken cancellationToken)
    {
        try
        {
            await db.DropCollectionAsync(name, cancellationToken).ConfigureAwait(false);
        }
        catch (MongoCommandException ex) when (ex.Code == NamespaceNotFound)
        {
            // Already gone.
        }
    }
}
