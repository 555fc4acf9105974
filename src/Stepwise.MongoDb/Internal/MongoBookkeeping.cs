using MongoDB.Bson;
using MongoDB.Driver;
using Stepwise.Execution;
using Stepwise.State;

namespace Stepwise.MongoDb.Internal;

/// <summary>
/// A step's record: its history entry, its applied entry (<see cref="LedgerRules"/>) and the project's version, written
/// through the step's session: inside its transaction when it has one, so that they commit with the step's changes.
/// </summary>
internal static class MongoBookkeeping
{
    // ranInTransaction: whether the step's own work ran in a transaction; the history says which.
    public static async Task RecordAsync(IMongoDatabase db, IClientSessionHandle session, StepRecord record, bool ranInTransaction, string? databaseUser,
        CancellationToken ct)
    {
        var step = record.Start;
        var id = await WriteHistoryAsync(db, session, record, ranInTransaction, databaseUser, ct).ConfigureAwait(false);
        await MarkAsync(db, session, step, LedgerRules.AfterStep(record.Status, step.Direction, ranInTransaction), id, FinishedAt(record), ranInTransaction, ct)
            .ConfigureAwait(false);
        if (LedgerRules.MovesVersion(record.Status))
        {
            await SetMetadataAsync(db, session, step.Run.Project, record.VersionAfter?.ToString(), step.Run.RunId, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Records a step written for a transaction that failed on a server without one: its history entry, and the mark
    /// <see cref="LedgerRules.AfterCompensation"/> gives it (none when its Down undid it, failed when that did not work).
    /// </summary>
    public static async Task RecordCompensatedAsync(IMongoDatabase db, IClientSessionHandle session, StepRecord record, bool undone, string? databaseUser,
        CancellationToken ct)
    {
        var id = await WriteHistoryAsync(db, session, record, ranInTransaction: false, databaseUser, ct).ConfigureAwait(false);
        await MarkAsync(db, session, record.Start, LedgerRules.AfterCompensation(undone), id, FinishedAt(record), ranInTransaction: false, ct)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// Marks a non-transactional step as started, before its first change: <c>running</c> for <c>Up</c> (sorted after
    /// everything applied so far), <c>reverting</c> for <c>Down</c>, which also records the version below.
    /// </summary>
    public static async Task MarkStartedAsync(IMongoDatabase db, IClientSessionHandle session, StepStart step, LedgerMark mark, CancellationToken ct)
    {
        var project = step.Run.Project;
        if (mark == LedgerMark.Running)
        {
            var sequence = await NextIdAsync(db, session, HistoryCounter(project), ct).ConfigureAwait(false);
            await MarkAsync(db, session, step, mark, sequence, DateTime.UtcNow, ranInTransaction: false, ct).ConfigureAwait(false);
            return;
        }

        await db.GetCollection<BsonDocument>(StateCollections.AppliedMigration).UpdateOneAsync(session, AppliedEntry(step),
            new BsonDocument("$set", new BsonDocument("status", LedgerEntries.StatusOf(LedgerMark.Reverting))), cancellationToken: ct).ConfigureAwait(false);
        if (step.VersionAfter is { } below)
        {
            await SetMetadataAsync(db, session, project, below.ToString(), step.Run.RunId, ct).ConfigureAwait(false);
        }
    }

    // The step's history entry, numbered per project; its number orders the applied entry it leaves.
    private static async Task<long> WriteHistoryAsync(IMongoDatabase db, IClientSessionHandle session, StepRecord record, bool ranInTransaction,
        string? databaseUser, CancellationToken ct)
    {
        var id = await NextIdAsync(db, session, HistoryCounter(record.Start.Run.Project), ct).ConfigureAwait(false);
        await db.GetCollection<BsonDocument>(StateCollections.MigrationHistory)
            .InsertOneAsync(session, LedgerDocuments.History(id, record, databaseUser, ranInTransaction), cancellationToken: ct).ConfigureAwait(false);
        return id;
    }

    // Stores a ledger mark as the step's applied entry: replaced with the mark's status, removed, or left as it is.
    private static async Task MarkAsync(IMongoDatabase db, IClientSessionHandle session, StepStart step, LedgerMark mark, long sequence, DateTime at,
        bool ranInTransaction, CancellationToken ct)
    {
        var applied = db.GetCollection<BsonDocument>(StateCollections.AppliedMigration);
        switch (mark)
        {
            case LedgerMark.Applied or LedgerMark.Failed or LedgerMark.Running:
                await applied.ReplaceOneAsync(session, AppliedEntry(step),
                    LedgerDocuments.Applied(step.Run.Project, step.Migration, LedgerEntries.StatusOf(mark), sequence, at, ranInTransaction),
                    new ReplaceOptions { IsUpsert = true }, ct).ConfigureAwait(false);
                break;
            case LedgerMark.Forget:
                await applied.DeleteOneAsync(session, AppliedEntry(step), cancellationToken: ct).ConfigureAwait(false);
                break;
        }
    }

    private static BsonDocument AppliedEntry(StepStart step) => new("_id", LedgerDocuments.AppliedId(step.Run.Project, step.Migration.Key));

    private static DateTime FinishedAt(StepRecord record) => (record.StartedAt + record.Duration).UtcDateTime;

    /// <summary>
    /// The project's metadata: the version when one is given (kept otherwise, so that an install under way is visible
    /// with no version), the time of the last version change, and the last run. Times are the server's.
    /// </summary>
    public static Task SetMetadataAsync(IMongoDatabase db, IClientSessionHandle session, string project, string? version, Guid? runId, CancellationToken ct)
    {
        var set = new BsonDocument
        {
            { "current_version", version is null ? "$current_version" : Literal(version) },
            { "updated_at", version is null ? new BsonDocument("$ifNull", new BsonArray { "$updated_at", "$$NOW" }) : "$$NOW" },
            { "installed_at", new BsonDocument("$ifNull", new BsonArray { "$installed_at", "$$NOW" }) },
        };
        if (runId is { } run)
        {
            set.Add("last_run_id", Literal(run.ToString()));
        }

        return db.GetCollection<BsonDocument>(StateCollections.ProjectMetadata).UpdateOneAsync(session, new BsonDocument("_id", project),
            Builders<BsonDocument>.Update.Pipeline(new BsonDocument[] { new("$set", set) }), new UpdateOptions { IsUpsert = true }, ct);
    }

    /// <summary>The next number of a counter (history entries per project; audit entries), created at 1.</summary>
    public static async Task<long> NextIdAsync(IMongoDatabase db, IClientSessionHandle? session, string counter, CancellationToken ct)
    {
        var counters = db.GetCollection<BsonDocument>(StateCollections.Counters);
        var filter = new BsonDocument("_id", counter);
        var update = new BsonDocument("$inc", new BsonDocument("value", 1L));
        var options = new FindOneAndUpdateOptions<BsonDocument> { IsUpsert = true, ReturnDocument = ReturnDocument.After };
        var document = session is null
            ? await counters.FindOneAndUpdateAsync(filter, update, options, ct).ConfigureAwait(false)
            : await counters.FindOneAndUpdateAsync(session, filter, update, options, ct).ConfigureAwait(false);
        return document["value"].ToInt64();
    }

    // Per project: only the holder of the project's lock writes it, so steps of different projects in transactions at
    // the same time never conflict on one counter.
    public static string HistoryCounter(string project) => "history/" + project;

    public const string AuditCounter = "audit";

    // A value placed in an update pipeline as itself, never read as a field path or an operator.
    private static BsonDocument Literal(string value) => new("$literal", value);
}
