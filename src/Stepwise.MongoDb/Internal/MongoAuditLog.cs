using System.Text.RegularExpressions;
using MongoDB.Bson;
using MongoDB.Driver;
using Stepwise.Execution;
using static Stepwise.MongoDb.Internal.LedgerDocuments;

namespace Stepwise.MongoDb.Internal;

/// <summary>Collection <c>stepwise.audit_log</c>: a run's entry, field for field PostgreSQL's row, and its reading for the <c>audit</c> command.</summary>
internal static class MongoAuditLog
{
    /// <summary>A run's entry as it starts.</summary>
    public static BsonDocument Entry(long id, RunRecord run, string? databaseUser) => new()
    {
        { "id", id },
        { "run_id", run.RunId.ToString() },
        { "project", run.Project },
        { "operation", run.Operation },
        { "from_version", Nullable(run.FromVersion) },
        { "target_version", Nullable(run.TargetVersion) },
        { "environment", Nullable(run.Environment) },
        { "host", run.Host },
        { "database_user", databaseUser ?? "" },
        { "runner_version", run.RunnerVersion },
        { "actor", Nullable(run.Who?.Actor) },
        { "os_user", Nullable(run.Who?.OsUser) },
        { "service_account", Nullable(run.Who?.ServiceAccount) },
        { "git_commit", Nullable(run.Who?.GitCommit) },
        { "image", Nullable(run.Who?.Image) },
        { "started_at", DateTime.UtcNow },
        { "finished_at", BsonNull.Value },
        { "outcome", "running" },
        { "message", BsonNull.Value },
    };

    public static async Task<IReadOnlyList<AuditRun>> ReadAsync(IMongoDatabase db, AuditQuery query, CancellationToken cancellationToken)
    {
        var filter = new BsonDocument();
        if (query.Project is { } project)
        {
            filter["project"] = project;
        }

        if (query.Environment is { } environment)
        {
            filter["environment"] = environment;
        }

        if (query.Since is { } since)
        {
            filter["started_at"] = new BsonDocument("$gte", since.UtcDateTime);
        }

        if (query.Outcome is { } outcome)
        {
            filter["outcome"] = outcome;
        }

        if (query.RunId is { } run)
        {
            filter["run_id"] = new BsonRegularExpression("^" + Regex.Escape(run.ToLowerInvariant()));
        }

        var entries = await db.GetCollection<BsonDocument>(StateCollections.AuditLog).Find(filter).Sort(new BsonDocument("id", -1)).Limit(query.Limit)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        // Each run's steps, counted in one round trip for all the entries read.
        var runIds = new BsonArray(entries.Select(static e => e["run_id"]).Distinct());
        var counts = (await db.GetCollection<BsonDocument>(StateCollections.MigrationHistory).Aggregate()
                .Match(new BsonDocument("run_id", new BsonDocument("$in", runIds)))
                .Group(new BsonDocument { { "_id", "$run_id" }, { "steps", new BsonDocument("$sum", 1) } })
                .ToListAsync(cancellationToken).ConfigureAwait(false))
            .ToDictionary(static c => c["_id"].AsString, static c => c["steps"].ToInt32(), StringComparer.Ordinal);
        return entries.Select(e => ToRun(e, e["operation"].AsString == "rehearsal" ? 0 : counts.GetValueOrDefault(e["run_id"].AsString))).ToList();
    }

    private static AuditRun ToRun(BsonDocument entry, int steps) => new(
        entry["id"].ToInt64(), Guid.Parse(entry["run_id"].AsString), entry["project"].AsString, entry["operation"].AsString, String(entry, "from_version"),
        String(entry, "target_version"), String(entry, "environment"), entry["host"].AsString, entry.GetValue("database_user", "").AsString,
        entry["runner_version"].AsString, Time(entry["started_at"]), entry.GetValue("finished_at", BsonNull.Value).IsBsonNull ? null : Time(entry["finished_at"]),
        entry["outcome"].AsString, String(entry, "message"), steps)
    {
        Actor = String(entry, "actor"),
        OsUser = String(entry, "os_user"),
        ServiceAccount = String(entry, "service_account"),
        GitCommit = String(entry, "git_commit"),
        Image = String(entry, "image"),
    };
}
