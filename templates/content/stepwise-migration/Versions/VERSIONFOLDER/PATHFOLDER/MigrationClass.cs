using Stepwise;
#if (mongo)
using Stepwise.MongoDb;
#else
using Stepwise.PostgreSql;
#endif

namespace Company.Migrations.Versions.VERSIONFOLDER.PATHFOLDER;

// The build fails until each member below does real work (SW1001 Down, SW1002 Validate, SW1003 PreCheck): write them,
// then add the version to project-config.yaml's compatibility_matrix if the build asks for it.
#if (hasFrom)
[Migration("MIGRATION_VERSION", MIGRATION_ORDER/*PATH*//*PHASE*/, From = "FROM_VERSION", Description = "MIGRATION_DESCRIPTION")]
#else
[Migration("MIGRATION_VERSION", MIGRATION_ORDER/*PATH*//*PHASE*/, Description = "MIGRATION_DESCRIPTION")]
#endif
#if (mongo)
public sealed class MigrationClass : MongoMigration
{
    // The state Up starts from (checked again after Down, which proves the rollback). Check what Up is about to change,
    // so that a step interrupted half-way can tell "not started" from "done":
    // e.g. await db.RequireNoIndexAsync("orders", "orders_customer", ct);
    public override Task PreCheck(MongoContext db, CancellationToken ct) =>
        throw new NotImplementedException("Check the state before Up.");

    // The change, in one transaction with the checks where the server has transactions. Use db's helpers, or pass
    // db.Session to a driver call (the build flags one that does not, SW3005). Dropping a collection or an index,
    // building an index on an existing collection and collMod are refused inside a transaction: mark such a migration
    // [NonTransactional("why")] and make Up safe to run again.
    public override Task Up(MongoContext db, CancellationToken ct) =>
        throw new NotImplementedException("Write the change.");

    // Undoes Up exactly, documents included where Up moved them, so that PreCheck passes again. A change that cannot be
    // undone is declared [Irreversible("why")] where the project's policy allows it.
    public override Task Down(MongoContext db, CancellationToken ct) =>
        throw new NotImplementedException("Undo Up.");

    // Proof that Up worked, as a reviewer would check it by hand: e.g. await db.RequireIndexAsync("orders", "orders_customer", ct);
    public override Task Validate(MongoContext db, CancellationToken ct) =>
        throw new NotImplementedException("Prove Up worked.");
}
#else
public sealed class MigrationClass : PostgresMigration
{
    // The state Up starts from (checked again after Down, which proves the rollback). Check what Up is about to change,
    // so that a step interrupted half-way can tell "not started" from "done":
    // e.g. await db.RequireNoColumnAsync("orders", "shipped_at", ct);
    public override Task PreCheck(PostgresContext db, CancellationToken ct) =>
        throw new NotImplementedException("Check the state before Up.");

    // The change: idempotent where it can be (IF NOT EXISTS), small enough to hold its locks briefly; a statement the
    // build flags as unsafe (SW2xxx) says what to write instead.
    public override Task Up(PostgresContext db, CancellationToken ct) =>
        throw new NotImplementedException("Write the change.");

    // Undoes Up exactly, data included where Up moved it, so that PreCheck passes again. A change that cannot be undone
    // is declared [Irreversible("why")] where the project's policy allows it.
    public override Task Down(PostgresContext db, CancellationToken ct) =>
        throw new NotImplementedException("Undo Up.");

    // Proof that Up worked, as a reviewer would check it by hand: e.g. await db.RequireColumnAsync("orders", "shipped_at", ct);
    public override Task Validate(PostgresContext db, CancellationToken ct) =>
        throw new NotImplementedException("Prove Up worked.");
}
#endif
