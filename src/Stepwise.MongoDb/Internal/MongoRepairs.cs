using MongoDB.Bson;
using MongoDB.Driver;
using Stepwise.Execution;

namespace Stepwise.MongoDb.Internal;

/// <summary>Repairs of the ledger (<see cref="LedgerRules.AfterRepair"/>), each recorded in the history.</summary>
internal static class MongoRepairs
{
    public static async Task ApplyAsync(IMongoDatabase db, IClientSessionHandle session, RunRecord run, IReadOnlyList<RepairAction> actions, string? databaseUser,
        CancellationToken ct)
    {
        var applied = db.GetCollection<BsonDocument>(StateCollections.AppliedMigration);
        var history = db.GetCollection<BsonDocument>(StateCollections.MigrationHistory);
        foreach (var action in actions)
        {
            var entry = LedgerDocuments.AppliedId(run.Project, action.Key);
            var note = await ChangeAsync(applied, history, session, run.Project, action, entry, ct).ConfigureAwait(false);
            var id = await MongoBookkeeping.NextIdAsync(db, session, MongoBookkeeping.HistoryCounter(run.Project), ct).ConfigureAwait(false);
            await history.InsertOneAsync(session,
                LedgerDocuments.Repair(id, run, action, note, LedgerRules.AfterRepair(action.Kind).LeavesApplied, databaseUser, DateTime.UtcNow),
                cancellationToken: ct).ConfigureAwait(false);
        }
    }

    private static async Task<string> ChangeAsync(IMongoCollection<BsonDocument> applied, IMongoCollection<BsonDocument> history, IClientSessionHandle session,
        string project, RepairAction action, BsonDocument entry, CancellationToken ct)
    {
        switch (action.Kind)
        {
            case RepairKind.AlignChecksum:
                await applied.UpdateOneAsync(session, new BsonDocument { { "_id", entry }, { "status", "applied" } },
                    new BsonDocument("$set", new BsonDocument("checksum", action.Checksum)), cancellationToken: ct).ConfigureAwait(false);
                return "repair: accepted the current code's checksum";
            case RepairKind.ClearFailure:
                await applied.DeleteOneAsync(session, new BsonDocument { { "_id", entry }, { "status", new BsonDocument("$ne", "applied") } }, cancellationToken: ct)
                    .ConfigureAwait(false);
                return "repair: cleared a failed or interrupted non-transactional step";
            case RepairKind.MarkApplied:
                await applied.UpdateOneAsync(session, new BsonDocument { { "_id", entry }, { "status", new BsonDocument("$ne", "applied") } },
                    new BsonDocument
                    {
                        { "$set", new BsonDocument { { "status", "applied" }, { "checksum", action.Checksum } } },
                        { "$currentDate", new BsonDocument("applied_at", true) },
                    }, cancellationToken: ct).ConfigureAwait(false);
                return "repair: recorded a non-transactional step as applied";
            case RepairKind.RestoreRecord:
                var newestFirst = await history.Find(session, new BsonDocument { { "project", project }, { "migration_key", action.Key } })
                    .Sort(new BsonDocument("id", -1)).ToListAsync(ct).ConfigureAwait(false);
                if (LedgerDocuments.Ledger(newestFirst).FirstOrDefault() is { Applied: true } last)
                {
                    var restored = LedgerDocuments.ToApplied(last.Entry, "finished_at", "id");
                    await applied.UpdateOneAsync(session, new BsonDocument("_id", entry), new BsonDocument("$setOnInsert", new BsonDocument
                    {
                        { "project", project },
                        { "migration_key", restored.Key },
                        { "version", restored.Version },
                        { "name", restored.Name },
                        { "checksum", restored.Checksum },
                        { "status", "applied" },
                        { "transactional", restored.Transactional },
                        { "sequence", restored.Sequence },
                        { "applied_at", restored.AppliedAt.UtcDateTime },
                    }), new UpdateOptions { IsUpsert = true }, ct).ConfigureAwait(false);
                }

                return "repair: recorded again an applied migration whose record was deleted";
            default:
                await applied.DeleteOneAsync(session, new BsonDocument { { "_id", entry }, { "status", "applied" } }, cancellationToken: ct).ConfigureAwait(false);
                return "repair: forgot a migration that is no longer in the code";
        }
    }
}
