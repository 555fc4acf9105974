using MongoDB.Bson;
using MongoDB.Driver;
using Stepwise.Execution;

namespace Stepwise.MongoDb.Internal;

/// <summary>
/// The runner's collections evolving, held by the store's own lease (<c>~store</c>) so that runners of different
/// projects sharing a database do it one at a time. Each step is idempotent: a runner that died part-way leaves nothing
/// the next one cannot apply again.
/// </summary>
internal sealed class MongoStoreEvolution(IMongoDatabase db, MongoLease hold) : IStoreEvolution
{
    private int _applied;

    public Task<int> ReadStoreVersionAsync(CancellationToken cancellationToken) => ReadAsync(db, cancellationToken);

    public async Task ApplyStepAsync(int step, CancellationToken cancellationToken)
    {
        hold.EnsureHeld();
        await StateCollections.Steps[step - 1](db, cancellationToken).ConfigureAwait(false);
        _applied = step;
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        if (_applied > 0)
        {
            hold.EnsureHeld();
            await db.GetCollection<BsonDocument>(StateCollections.Store).UpdateOneAsync(new BsonDocument("_id", StateCollections.StoreId),
                new BsonDocument("$max", new BsonDocument("version", _applied)), new UpdateOptions { IsUpsert = true }, cancellationToken).ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync() => hold.DisposeAsync();

    /// <summary>The number of the last store step applied; 0 where the runner never wrote.</summary>
    public static async Task<int> ReadAsync(IMongoDatabase db, CancellationToken cancellationToken)
    {
        var store = await db.GetCollection<BsonDocument>(StateCollections.Store).Find(new BsonDocument("_id", StateCollections.StoreId))
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return store?["version"].ToInt32() ?? 0;
    }
}
