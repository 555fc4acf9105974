using System.Diagnostics;
using Microsoft.Extensions.Logging;
using MongoDB.Bson;
using MongoDB.Driver;

namespace Stepwise.MongoDb.Internal;

/// <summary>
/// A lock held as a leased document (<c>stepwise.lock</c>, one per project): taken atomically, renewed while the run
/// lives, judged expired by the server's clock, and taken over when its holder stopped renewing.
/// </summary>
internal sealed partial class MongoLease : IAsyncDisposable
{
    private const int DuplicateKey = 11000;

    private readonly IMongoCollection<BsonDocument> _locks;
    private readonly string _id;
    private readonly string _owner;
    private readonly LeaseTerms _terms;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private long _confirmedSend;
    private volatile bool _lost;
    private Task? _renewing;

    private MongoLease(IMongoCollection<BsonDocument> locks, string id, string owner, LeaseTerms terms, ILogger logger, long confirmedSend)
    {
        _locks = locks;
        _id = id;
        _owner = owner;
        _terms = terms;
        _logger = logger;
        _confirmedSend = confirmedSend;
    }

    /// <summary>
    /// Takes the lock <paramref name="id"/> if it is free or its lease has ended; <c>null</c> when another runner holds it.
    /// One upsert on the document's <c>_id</c> decides, atomically on the server: its pipeline keeps a live lease as it
    /// is and writes this runner into a missing or ended one, judged by the server's clock; the lock is this runner's
    /// when the document it returns names this runner. (An upsert may not filter with <c>$expr</c>, so the judgement is
    /// in the pipeline, not the filter.) Two runners creating the document at once collide on <c>_id</c>; the server
    /// retries the loser's upsert, which then finds the winner's live lease.
    /// </summary>
    public static async Task<MongoLease?> TryAcquireAsync(IMongoDatabase database, string id, string holder, LeaseTerms terms, ILogger logger,
        CancellationToken cancellationToken)
    {
        var locks = database.GetCollection<BsonDocument>(StateCollections.Locks);
        var owner = Guid.NewGuid().ToString("N");
        var sent = Stopwatch.GetTimestamp();
        BsonDocument after;
        try
        {
            after = await locks.FindOneAndUpdateAsync(
                new BsonDocument("_id", id),
                Builders<BsonDocument>.Update.Pipeline(new[] { TakeIfEnded(owner, holder, terms) }),
                new FindOneAndUpdateOptions<BsonDocument> { IsUpsert = true, ReturnDocument = ReturnDocument.After },
                cancellationToken).ConfigureAwait(false);
        }
        catch (MongoCommandException ex) when (ex.Code == DuplicateKey)
        {
            return null;
        }

        if (after.GetValue("owner", BsonNull.Value) != owner)
        {
            return null;
        }

        var lease = new MongoLease(locks, id, owner, terms, logger, sent);
        if (after.GetValue("previous_holder", BsonNull.Value) is BsonString previous)
        {
            lease.LogTakenOver(id, previous.Value);
        }

        lease._renewing = Task.Run(lease.RenewAsync);
        return lease;
    }

    /// <summary>
    /// The update that takes a lock: every field stays as it is while the lease is live (it has an expiry, not yet
    /// passed); otherwise this runner is written in, and the holder whose lease ended is kept for the log.
    /// </summary>
    internal static BsonDocument TakeIfEnded(string owner, string holder, LeaseTerms terms)
    {
        var live = new BsonDocument("$and", new BsonArray
        {
            new BsonDocument("$ne", new BsonArray { new BsonDocument("$type", "$expires_at"), "missing" }),
            new BsonDocument("$gte", new BsonArray { "$expires_at", "$$NOW" }),
        });
        BsonDocument KeepOr(string field, BsonValue taken) => new("$cond", new BsonArray { live, "$" + field, taken });
        return new BsonDocument("$set", new BsonDocument
        {
            { "owner", KeepOr("owner", new BsonDocument("$literal", owner)) },
            { "holder", KeepOr("holder", new BsonDocument("$literal", holder)) },
            { "acquired_at", KeepOr("acquired_at", "$$NOW") },
            { "renewed_at", KeepOr("renewed_at", "$$NOW") },
            { "expires_at", KeepOr("expires_at", Expiry(terms)) },
            // Every field of one $set is computed from the document as it was: "$holder" here is the previous holder.
            { "previous_holder", KeepOr("previous_holder", new BsonDocument("$ifNull", new BsonArray { "$holder", BsonNull.Value })) },
        });
    }

    /// <summary>Who holds the lock, in words, or <c>null</c> when nobody does.</summary>
    public static async Task<string?> DescribeHolderAsync(IMongoDatabase database, string id)
    {
        var document = await database.GetCollection<BsonDocument>(StateCollections.Locks)
            .Find(new BsonDocument("_id", id)).FirstOrDefaultAsync().ConfigureAwait(false);
        return document is null ? null : Describe(document);
    }

    /// <summary>A lock document in words: who holds it, since when, and until when its lease runs.</summary>
    public static string Describe(BsonDocument document) =>
        $"{document.GetValue("holder", "an unknown runner")} since {Time(document, "acquired_at")}, lease until {Time(document, "expires_at")} (server time)";

    /// <summary>Whether the lease is still certainly this runner's: renewed in time, and never found taken.</summary>
    public bool Held => !_lost && _terms.StillHeld(Stopwatch.GetElapsedTime(Interlocked.Read(ref _confirmedSend)));

    /// <summary>The lock's filter for a write that must happen only while this runner holds it (the step's record).</summary>
    public BsonDocument OwnedFilter() =>
        new() { { "_id", _id }, { "owner", _owner }, { "$expr", new BsonDocument("$gt", new BsonArray { "$expires_at", "$$NOW" }) } };

    public IMongoCollection<BsonDocument> Collection => _locks;

    /// <summary>Stops a run that can no longer be sure it holds the lock, before its next write.</summary>
    public void EnsureHeld()
    {
        if (!Held)
        {
            throw new StepwiseException(FailureKind.LockTimeout,
                $"The runner lost its lock ({_id}): its lease of {_terms.Lease.TotalSeconds:0} s could not be renewed in time, so another runner may " +
                "hold it now. Nothing more was written; run the command again to see the state.");
        }
    }

    /// <summary>
    /// Confirms with the server, just before a step's commit, that the lock is still this runner's, and that its own
    /// lease has time left: a run that has lost it stops before the write.
    /// </summary>
    public async Task ConfirmAsync(CancellationToken cancellationToken)
    {
        EnsureHeld();
        if (await _locks.CountDocumentsAsync(OwnedFilter(), cancellationToken: cancellationToken).ConfigureAwait(false) == 0)
        {
            _lost = true;
            EnsureHeld();
        }
    }

    private async Task RenewAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_terms.RenewEvery, _stop.Token).ConfigureAwait(false);
                var sent = Stopwatch.GetTimestamp();
                var result = await _locks.UpdateOneAsync(
                    new BsonDocument { { "_id", _id }, { "owner", _owner } },
                    Builders<BsonDocument>.Update.Pipeline(new BsonDocument[]
                    {
                        new("$set", new BsonDocument { { "renewed_at", "$$NOW" }, { "expires_at", Expiry(_terms) } }),
                    }),
                    cancellationToken: _stop.Token).ConfigureAwait(false);
                if (result.MatchedCount == 0)
                {
                    _lost = true;
                    LogLost(_id);
                    return;
                }

                Interlocked.Exchange(ref _confirmedSend, sent);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is MongoException or TimeoutException)
            {
                // The next renewal may succeed; until then Held counts down from the last one that did.
                LogRenewalFailed(_id, ex.GetType().Name);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_renewing is not null)
        {
            await _renewing.ConfigureAwait(false);
        }

        try
        {
            await _locks.DeleteOneAsync(new BsonDocument { { "_id", _id }, { "owner", _owner } }).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is MongoException or TimeoutException)
        {
            // The lease ends by itself; the next runner takes the lock over then.
            LogReleaseFailed(_id, ex.GetType().Name);
        }

        _stop.Dispose();
    }

    private static BsonDocument Expiry(LeaseTerms terms) => new("$add", new BsonArray { "$$NOW", terms.LeaseMilliseconds });

    private static string Time(BsonDocument document, string field) =>
        document.TryGetValue(field, out var value) && value.IsValidDateTime ? value.ToUniversalTime().ToString("u", System.Globalization.CultureInfo.InvariantCulture) : "?";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Took over lock {Lock}, whose lease had ended: {Holder}")]
    private partial void LogTakenOver(string @lock, string holder);

    [LoggerMessage(Level = LogLevel.Error, Message = "Lock {Lock} is no longer this runner's: another runner took it over after its lease ended")]
    private partial void LogLost(string @lock);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not renew the lease of lock {Lock} ({Error}); retrying")]
    private partial void LogRenewalFailed(string @lock, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not release lock {Lock} ({Error}); it ends with its lease")]
    private partial void LogReleaseFailed(string @lock, string error);
}
