using MongoDB.Bson;
using Stepwise.Catalog;
using Stepwise.Execution;
using Stepwise.State;

namespace Stepwise.MongoDb.Internal;

/// <summary>
/// The runner's records as documents, field for field the columns of PostgreSQL's <c>stepwise</c> tables, so that
/// both engines' history reads the same.
/// </summary>
internal static class LedgerDocuments
{
    public static BsonDocument AppliedId(string project, string key) => new() { { "project", project }, { "migration_key", key } };

    /// <summary>A migration's history entry.</summary>
    public static BsonDocument History(long id, StepRecord record, string? databaseUser, bool ranInTransaction)
    {
        var step = record.Start;
        var migration = step.Migration;
        return new BsonDocument
        {
            { "id", id },
            { "run_id", step.Run.RunId.ToString() },
            { "project", step.Run.Project },
            { "version", migration.Version.ToString() },
            { "path", MigrationKey.PathName(migration.Path) },
            { "from_version", Nullable(migration.From?.ToString()) },
            { "phase", MigrationKey.PhaseName(migration.Phase) },
            { "order", migration.Order },
            { "migration_key", migration.Key },
            { "name", migration.Name },
            { "description", Nullable(migration.Description) },
            { "checksum", migration.Checksum },
            { "direction", step.Direction == MigrationDirection.Up ? "up" : "down" },
            { "status", record.Status switch { StepStatus.Succeeded => "succeeded", StepStatus.Failed => "failed", _ => "interrupted" } },
            { "transactional", ranInTransaction },
            { "started_at", record.StartedAt.UtcDateTime },
            { "finished_at", (record.StartedAt + record.Duration).UtcDateTime },
            { "duration_ms", record.Duration.TotalMilliseconds },
            { "environment", Nullable(step.Run.Environment) },
            { "host", step.Run.Host },
            { "database_user", databaseUser ?? "" },
            { "runner_version", step.Run.RunnerVersion },
            { "error", Nullable(record.Error) },
            { "backups", record.Backups is { Count: > 0 } backups ? new BsonArray(backups.Select(static b => $"{b.Source} -> {b.Backup} ({b.Rows} rows)")) : BsonNull.Value },
            { "commands", Nullable(record.Commands) },
        };
    }

    /// <summary>A repair's history entry: what it changed, and whether the migration counts as applied afterwards.</summary>
    public static BsonDocument Repair(long id, RunRecord run, RepairAction action, string note, bool leavesApplied, string? databaseUser, DateTime now) => new()
    {
        { "id", id },
        { "run_id", run.RunId.ToString() },
        { "project", run.Project },
        { "version", action.Version },
        { "migration_key", action.Key },
        { "name", action.Name },
        { "checksum", action.Checksum ?? "" },
        { "direction", "repair" },
        { "status", "repaired" },
        { "transactional", true },
        { "started_at", now },
        { "finished_at", now },
        { "duration_ms", 0.0 },
        { "environment", Nullable(run.Environment) },
        { "host", run.Host },
        { "database_user", databaseUser ?? "" },
        { "runner_version", run.RunnerVersion },
        { "error", action.Reason is null ? note : $"{note}: {action.Reason}" },
        { "leaves_applied", leavesApplied },
    };

    /// <summary>A migration's applied entry with the given status (<c>applied</c>, <c>failed</c>, <c>running</c>), and whether its step ran in a transaction.</summary>
    public static BsonDocument Applied(string project, MigrationDescriptor migration, string status, long sequence, DateTime at, bool ranInTransaction) => new()
    {
        { "_id", AppliedId(project, migration.Key) },
        { "project", project },
        { "migration_key", migration.Key },
        { "version", migration.Version.ToString() },
        { "name", migration.Name },
        { "checksum", migration.Checksum },
        { "status", status },
        { "transactional", ranInTransaction },
        { "sequence", sequence },
        { "applied_at", at },
    };

    /// <summary>The applied entries of a project, in the order they were applied, sorted as every engine reads them.</summary>
    public static (IReadOnlyList<AppliedMigration> Applied, IReadOnlyList<AppliedMigration> Failed, IReadOnlyList<InterruptedMigration> Interrupted) Sort(
        IEnumerable<BsonDocument> entries) =>
        LedgerEntries.Sort(entries.OrderBy(static e => e["sequence"].ToInt64()).Select(static e => (ToApplied(e, "applied_at"), e["status"].AsString)));

    public static AppliedMigration ToApplied(BsonDocument entry, string timeField, string sequenceField = "sequence") => new(
        entry["migration_key"].AsString, entry["version"].AsString, entry["name"].AsString, entry["checksum"].AsString,
        entry[sequenceField].ToInt64(), Time(entry[timeField]), entry["transactional"].ToBoolean());

    public static HistoryEntry ToHistory(BsonDocument entry) => new(
        entry["id"].ToInt64(), Guid.Parse(entry["run_id"].AsString), entry["version"].AsString, entry["migration_key"].AsString, entry["name"].AsString,
        entry["direction"].AsString, entry["status"].AsString, entry["checksum"].AsString, entry["transactional"].ToBoolean(), Time(entry["started_at"]),
        entry["duration_ms"].ToDouble(), String(entry, "environment"), entry["host"].AsString, entry.GetValue("database_user", "").AsString,
        entry["runner_version"].AsString, String(entry, "error")) { Commands = String(entry, "commands") };

    /// <summary>
    /// Per migration, the newest history entry that says whether it is applied (a successful up: yes; a successful down:
    /// no; a repair that recorded the answer), among entries given newest first: the history's own account of what is applied.
    /// </summary>
    public static IEnumerable<(BsonDocument Entry, bool Applied)> Ledger(IEnumerable<BsonDocument> newestFirst)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in newestFirst)
        {
            var direction = entry["direction"].AsString;
            var counts = direction is "up" or "down" ? entry["status"].AsString == "succeeded" : entry.Contains("leaves_applied");
            if (counts && seen.Add(entry["migration_key"].AsString))
            {
                yield return (entry, direction == "up" || (direction == "repair" && entry["leaves_applied"].ToBoolean()));
            }
        }
    }

    /// <summary>A string field's value; <c>null</c> as BSON null.</summary>
    public static BsonValue Nullable(string? value) => value is null ? BsonNull.Value : value;

    /// <summary>A string field, absent or null read as <c>null</c>.</summary>
    public static string? String(BsonDocument entry, string field) => entry.TryGetValue(field, out var value) && !value.IsBsonNull ? value.AsString : null;

    /// <summary>A date field, as UTC.</summary>
    public static DateTimeOffset Time(BsonValue value) => new(value.ToUniversalTime(), TimeSpan.Zero);
}
