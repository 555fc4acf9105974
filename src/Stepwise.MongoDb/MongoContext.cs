using MongoDB.Bson;
using MongoDB.Driver;
using Stepwise.Execution;

namespace Stepwise.MongoDb;

/// <summary>
/// What a MongoDB migration works with: the database, and the step's session. Every helper here sends its command
/// through <see cref="Session"/>, so inside a transaction it is part of the transaction; a driver call written by hand
/// must pass <see cref="Session"/> as its first argument, or it runs outside the transaction (the build flags it).
/// </summary>
/// <remarks>
/// MongoDB does not list collections or indexes inside a transaction. In a transactional step the existence helpers
/// (<see cref="CollectionExistsAsync"/>, <see cref="IndexExistsAsync"/> and the <c>Require…</c> checks built on them)
/// therefore answer from what is committed, together with what this step itself created or dropped through these
/// helpers; DDL sent with <see cref="RunCommandAsync"/> is not seen until it commits.
/// </remarks>
public sealed class MongoContext : IMigrationContext
{
    private const int NamespaceNotFound = 26;

    // What the transaction changed in the catalog through the helpers, while it hides it from listings.
    private readonly Dictionary<string, bool> _collections;
    private readonly Dictionary<(string Collection, string Index), bool> _indexes;

    private readonly string _version;

    internal MongoContext(IMongoDatabase database, IClientSessionHandle session, bool inTransaction, string project, string? environment,
        MigrationDirection direction, string version, CatalogChanges? changes = null)
    {
        _version = version;
        changes ??= new CatalogChanges();
        _collections = changes.Collections;
        _indexes = changes.Indexes;
        Database = database;
        Session = session;
        InTransaction = inTransaction;
        Project = project;
        Environment = environment;
        Direction = direction;
    }

    /// <summary>The migrated database.</summary>
    public IMongoDatabase Database { get; }

    /// <summary>The client, for commands on another database (<c>admin</c>).</summary>
    public IMongoClient Client => Database.Client;

    /// <summary>The step's session: pass it to every driver call made by hand.</summary>
    public IClientSessionHandle Session { get; }

    /// <summary>Whether the step runs in a transaction (a replica set or sharded cluster, and a migration not marked non-transactional).</summary>
    public bool InTransaction { get; }

    /// <inheritdoc />
    public string Project { get; }

    /// <inheritdoc />
    public string? Environment { get; }

    /// <inheritdoc />
    public MigrationDirection Direction { get; }

    /// <summary>A collection of the migrated database, as documents. Pass <see cref="Session"/> to every call on it.</summary>
    public IMongoCollection<BsonDocument> Collection(string name) => Database.GetCollection<BsonDocument>(name);

    /// <summary>Runs a database command (on the migrated database) in the step's session.</summary>
    public Task<BsonDocument> RunCommandAsync(BsonDocument command, CancellationToken ct) =>
        Database.RunCommandAsync<BsonDocument>(Session, new BsonDocumentCommand<BsonDocument>(command), ReadPreference.Primary, ct);

    /// <summary>Creates a collection, with a JSON-schema validator or other options when given.</summary>
    public async Task CreateCollectionAsync(string name, CreateCollectionOptions? options, CancellationToken ct)
    {
        await Database.CreateCollectionAsync(Session, name, options, ct).ConfigureAwait(false);
        _collections[name] = true;
    }

    /// <summary>Creates a collection.</summary>
    public Task CreateCollectionAsync(string name, CancellationToken ct) => CreateCollectionAsync(name, null, ct);

    /// <summary>Drops a collection and every document in it.</summary>
    public async Task DropCollectionAsync(string name, CancellationToken ct)
    {
        await Database.DropCollectionAsync(Session, name, ct).ConfigureAwait(false);
        _collections[name] = false;
        foreach (var index in _indexes.Keys.Where(k => k.Collection == name).ToList())
        {
            _indexes[index] = false;
        }
    }

    /// <summary>Creates an index; its name is required, so that a rollback or a check can name it.</summary>
    public async Task<string> CreateIndexAsync(string collection, BsonDocument keys, string name, bool unique, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var created = await Collection(collection).Indexes.CreateOneAsync(Session,
            new CreateIndexModel<BsonDocument>(keys, new CreateIndexOptions { Name = name, Unique = unique }), cancellationToken: ct).ConfigureAwait(false);
        _indexes[(collection, name)] = true;
        _collections[collection] = true;
        return created;
    }

    /// <summary>Drops an index by name.</summary>
    public async Task DropIndexAsync(string collection, string name, CancellationToken ct)
    {
        await Collection(collection).Indexes.DropOneAsync(Session, name, ct).ConfigureAwait(false);
        _indexes[(collection, name)] = false;
    }

    /// <summary>Sets (or with <c>null</c>, removes) a collection's JSON-schema validator (<c>collMod</c>).</summary>
    public Task SetValidatorAsync(string collection, BsonDocument? jsonSchema, CancellationToken ct) =>
        RunCommandAsync(new BsonDocument
        {
            { "collMod", collection },
            { "validator", jsonSchema is null ? new BsonDocument() : new BsonDocument("$jsonSchema", jsonSchema) },
        }, ct);

    /// <summary>Inserts documents.</summary>
    public Task InsertManyAsync(string collection, IEnumerable<BsonDocument> documents, CancellationToken ct) =>
        Collection(collection).InsertManyAsync(Session, documents, cancellationToken: ct);

    /// <summary>Updates every document matching <paramref name="filter"/>; returns how many changed.</summary>
    public async Task<long> UpdateManyAsync(string collection, BsonDocument filter, BsonDocument update, CancellationToken ct) =>
        (await Collection(collection).UpdateManyAsync(Session, filter, update, cancellationToken: ct).ConfigureAwait(false)).ModifiedCount;

    /// <summary>Deletes every document matching <paramref name="filter"/>; returns how many were deleted.</summary>
    public async Task<long> DeleteManyAsync(string collection, BsonDocument filter, CancellationToken ct) =>
        (await Collection(collection).DeleteManyAsync(Session, filter, cancellationToken: ct).ConfigureAwait(false)).DeletedCount;

    /// <summary>The number of documents matching <paramref name="filter"/> (all of them with an empty filter).</summary>
    public Task<long> CountAsync(string collection, BsonDocument filter, CancellationToken ct) =>
        Collection(collection).CountDocumentsAsync(Session, filter, cancellationToken: ct);

    /// <summary>Whether the collection exists.</summary>
    public async Task<bool> CollectionExistsAsync(string name, CancellationToken ct)
    {
        if (InTransaction && _collections.TryGetValue(name, out var changed))
        {
            return changed;
        }

        var options = new ListCollectionNamesOptions { Filter = new BsonDocument("name", name) };
        using var names = InTransaction
            ? await Database.ListCollectionNamesAsync(options, ct).ConfigureAwait(false)
            : await Database.ListCollectionNamesAsync(Session, options, ct).ConfigureAwait(false);
        return await names.AnyAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Whether the collection has an index of that name.</summary>
    public async Task<bool> IndexExistsAsync(string collection, string index, CancellationToken ct)
    {
        if (InTransaction && (_indexes.TryGetValue((collection, index), out var changed) || (_collections.TryGetValue(collection, out var exists) && !exists)))
        {
            return changed;
        }

        return (await IndexesAsync(collection, ct).ConfigureAwait(false)).Any(i => i.GetValue("name", "").AsString == index);
    }

    /// <summary>The collection's JSON-schema validator, or <c>null</c> when it has none (or does not exist).</summary>
    public async Task<BsonDocument?> ValidatorOfAsync(string collection, CancellationToken ct)
    {
        var options = new ListCollectionsOptions { Filter = new BsonDocument("name", collection) };
        using var cursor = InTransaction
            ? await Database.ListCollectionsAsync(options, ct).ConfigureAwait(false)
            : await Database.ListCollectionsAsync(Session, options, ct).ConfigureAwait(false);
        var info = await cursor.FirstOrDefaultAsync(ct).ConfigureAwait(false);
        return info?.GetValue("options", new BsonDocument()).AsBsonDocument.GetValue("validator", BsonNull.Value) is BsonDocument { } validator
               && validator.TryGetValue("$jsonSchema", out var schema) ? schema.AsBsonDocument : null;
    }

    /// <summary>Fails the check unless the collection exists.</summary>
    public async Task RequireCollectionAsync(string name, CancellationToken ct) =>
        Check(await CollectionExistsAsync(name, ct).ConfigureAwait(false), $"collection {name} exists", "it does not");

    /// <summary>Fails the check if the collection exists.</summary>
    public async Task RequireNoCollectionAsync(string name, CancellationToken ct) =>
        Check(!await CollectionExistsAsync(name, ct).ConfigureAwait(false), $"collection {name} does not exist yet", "it exists");

    /// <summary>Fails the check unless the collection has the index.</summary>
    public async Task RequireIndexAsync(string collection, string index, CancellationToken ct) =>
        Check(await IndexExistsAsync(collection, index, ct).ConfigureAwait(false), $"index {index} exists on {collection}", "it does not");

    /// <summary>Fails the check if the collection has the index.</summary>
    public async Task RequireNoIndexAsync(string collection, string index, CancellationToken ct) =>
        Check(!await IndexExistsAsync(collection, index, ct).ConfigureAwait(false), $"index {index} does not exist on {collection} yet", "it exists");

    /// <summary>Fails the check if any document matches <paramref name="filter"/>, saying how many do.</summary>
    public async Task RequireNoDocumentsAsync(string collection, BsonDocument filter, string expectation, CancellationToken ct)
    {
        var found = await CountAsync(collection, filter, ct).ConfigureAwait(false);
        Check(found == 0, expectation, $"{found} documents of {collection} do not");
    }

    /// <summary>
    /// The name of the backup copy of <paramref name="collection"/> taken before this migration's version changed it
    /// (policy <c>backup_before_upgrade</c> and <see cref="ChangesAttribute"/>); <c>null</c> when there is none. Meant for
    /// <c>Down</c>, to restore documents <c>Up</c> destroyed: read it with <see cref="Collection"/> and <see cref="Session"/>.
    /// </summary>
    public Task<string?> BackupOfAsync(string collection, CancellationToken ct) =>
        Internal.MongoBackups.FindAsync(Database, Session, Project, _version, collection, ct);

    private async Task<List<BsonDocument>> IndexesAsync(string collection, CancellationToken ct)
    {
        try
        {
            using var cursor = InTransaction
                ? await Collection(collection).Indexes.ListAsync(ct).ConfigureAwait(false)
                : await Collection(collection).Indexes.ListAsync(Session, ct).ConfigureAwait(false);
            return await cursor.ToListAsync(ct).ConfigureAwait(false);
        }
        catch (MongoCommandException ex) when (ex.Code == NamespaceNotFound)
        {
            return [];
        }
    }

    private static void Check(bool condition, string expectation, string found)
    {
        if (!condition)
        {
            throw new MigrationCheckException(expectation, found);
        }
    }

    internal static MongoContext For(IMongoDatabase database, IClientSessionHandle session, bool inTransaction, StepStart step, CatalogChanges? changes = null) =>
        new(database, session, inTransaction, step.Run.Project, step.Run.Environment, step.Direction, step.Migration.Version.ToString(), changes);

    /// <summary>Collections and indexes a transaction created (<c>true</c>) or dropped (<c>false</c>), shared by the steps of one transaction.</summary>
    internal sealed class CatalogChanges
    {
        public Dictionary<string, bool> Collections { get; } = new(StringComparer.Ordinal);

        public Dictionary<(string Collection, string Index), bool> Indexes { get; } = [];
    }
}
