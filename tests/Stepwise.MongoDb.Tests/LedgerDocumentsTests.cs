using MongoDB.Bson;
using Stepwise.Execution;
using Stepwise.MongoDb.Internal;
using Stepwise.Versioning;

namespace Stepwise.MongoDb.Tests;

public sealed class LedgerDocumentsTests
{
    private static readonly RunRecord Run = new(Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"), "shop", "upgrade", "1.1.0", "1.0.0", "prod", "pod-1", "0.1.0");

    // The columns of PostgreSQL's stepwise.migration_history, so that both engines' history reads the same.
    private static readonly string[] HistoryColumns =
    [
        "id", "run_id", "project", "version", "path", "from_version", "phase", "order", "migration_key", "name", "description", "checksum", "direction",
        "status", "transactional", "started_at", "finished_at", "duration_ms", "environment", "host", "database_user", "runner_version", "error", "backups",
        "commands",
    ];

    [Fact]
    public void History_HasTheFieldsOfThePostgreSqlHistory_AndReadsBackAsTheSameEntry()
    {
        var migration = ServerTraitsTests.Migration();
        var started = new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);
        var start = new StepStart(Run, migration, MigrationDirection.Up);
        start.Commands.Add("db.orders.createIndex(...)");
        var record = new StepRecord(start, StepStatus.Failed, started, TimeSpan.FromMilliseconds(1500), null, "expected: x; found: y");

        var document = LedgerDocuments.History(7, record, "deployer", ranInTransaction: true);
        var entry = LedgerDocuments.ToHistory(document);

        Assert.Equal(HistoryColumns, document.Names);
        Assert.Equal((7L, Run.RunId, "1.1.0", migration.Key, "AddOrders"), (entry.Id, entry.RunId, entry.Version, entry.Key, entry.Name));
        Assert.Equal(("up", "failed", true, "deployer", "expected: x; found: y"), (entry.Direction, entry.Status, entry.Transactional, entry.DatabaseUser, entry.Error));
        Assert.Equal((started, 1500.0, "prod", "pod-1"), (entry.StartedAt, entry.DurationMs, entry.Environment, entry.Host));
        Assert.Equal("db.orders.createIndex(...)", entry.Commands);
    }

    [Fact]
    public void AuditEntry_HasTheColumnsOfThePostgreSqlAuditLog_AndWhoRanIt()
    {
        string[] columns =
        [
            "id", "run_id", "project", "operation", "from_version", "target_version", "environment", "host", "database_user", "runner_version",
            "started_at", "finished_at", "outcome", "message", "actor", "os_user", "service_account", "git_commit", "image",
        ];
        var run = Run with { Who = new Observing.AuditActor("deployer@ci", "app", "pod-1", "shop-migrations", "0f1e2d3c", "registry.example.test/shop:1") };

        var entry = MongoAuditLog.Entry(3, run, "migrator");

        Assert.Equal(columns.Order(StringComparer.Ordinal), entry.Names.Order(StringComparer.Ordinal));
        Assert.Equal(("deployer@ci", "app", "shop-migrations", "0f1e2d3c", "registry.example.test/shop:1"),
            (entry["actor"].AsString, entry["os_user"].AsString, entry["service_account"].AsString, entry["git_commit"].AsString, entry["image"].AsString));
        Assert.Equal(("running", run.RunId.ToString(), "migrator"), (entry["outcome"].AsString, entry["run_id"].AsString, entry["database_user"].AsString));
    }

    [Fact]
    public void AppliedEntries_AreSortedBySequence_IntoAppliedFailedAndInterrupted()
    {
        var at = new DateTime(2026, 12, 3, 0, 0, 0, DateTimeKind.Utc);
        var entries = new[]
        {
            LedgerDocuments.Applied("shop", ServerTraitsTests.Migration(name: "C"), "reverting", 9, at, ranInTransaction: false),
            LedgerDocuments.Applied("shop", ServerTraitsTests.Migration(name: "A"), "applied", 2, at, ranInTransaction: true),
            LedgerDocuments.Applied("shop", ServerTraitsTests.Migration(name: "B"), "failed", 5, at, ranInTransaction: false),
            LedgerDocuments.Applied("shop", ServerTraitsTests.Migration(name: "D"), "running", 7, at, ranInTransaction: false),
            LedgerDocuments.Applied("shop", ServerTraitsTests.Migration(name: "E"), "applied", 1, at, ranInTransaction: true),
        };

        var (applied, failed, interrupted) = LedgerDocuments.Sort(entries);

        Assert.Equal(["E", "A"], applied.Select(static a => a.Name));
        Assert.Equal(["B"], failed.Select(static a => a.Name));
        Assert.Equal([("D", MigrationDirection.Up), ("C", MigrationDirection.Down)], interrupted.Select(static i => (i.Migration.Name, i.Direction)));
        Assert.False(interrupted[0].Migration.Transactional);
        Assert.True(applied[0].Transactional);
    }

    [Fact]
    public void Ledger_TakesPerMigrationTheNewestEntryThatSaysWhetherItIsApplied()
    {
        var newestFirst = new[]
        {
            Entry("b", "up", "failed"),               // says nothing: a failure
            Entry("a", "repair", "repaired", false),  // a repair that left it not applied
            Entry("b", "down", "succeeded"),          // b rolled back
            Entry("a", "up", "succeeded"),
            Entry("c", "repair", "repaired"),         // an old repair without the answer: passed over
            Entry("c", "up", "succeeded"),
            Entry("b", "up", "succeeded"),
        };

        var ledger = LedgerDocuments.Ledger(newestFirst).Select(static l => (l.Entry["migration_key"].AsString, l.Applied)).ToList();

        Assert.Equal([("a", false), ("b", false), ("c", true)], ledger);
    }

    private static BsonDocument Entry(string key, string direction, string status, bool? leavesApplied = null)
    {
        var entry = new BsonDocument { { "migration_key", key }, { "direction", direction }, { "status", status } };
        if (leavesApplied is { } applied)
        {
            entry["leaves_applied"] = applied;
        }

        return entry;
    }
}
