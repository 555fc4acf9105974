using Stepwise;
using Stepwise.PostgreSql;

namespace Company.Migrations.Versions.V1_0_0.NewInstall;

// Builds version 1.0.0's schema on an empty database. The build fails until each member below does real work: that is
// the point (SW1001 Down, SW1002 Validate, SW1003 PreCheck).
[Migration("1.0.0", 1, Path = MigrationPath.NewInstall, Phase = MigrationPhase.Schema, Description = "Create the schema")]
public sealed class CreateSchema : PostgresMigration
{
    // The state the migration starts from, checked before Up (and again after Down, which proves the rollback):
    // e.g. await db.RequireNoTableAsync("customers", ct);
    public override Task PreCheck(PostgresContext db, CancellationToken ct) =>
        throw new NotImplementedException("Check the state before Up: e.g. db.RequireNoTableAsync(\"customers\", ct).");

    // The change. Idempotent where it can be (IF NOT EXISTS); one statement per call.
    public override Task Up(PostgresContext db, CancellationToken ct) =>
        throw new NotImplementedException("Write the change: e.g. db.ExecuteAsync(\"CREATE TABLE customers (...)\", ct).");

    // Undoes Up exactly, so that PreCheck passes again.
    public override Task Down(PostgresContext db, CancellationToken ct) =>
        throw new NotImplementedException("Undo Up: e.g. db.ExecuteAsync(\"DROP TABLE IF EXISTS customers\", ct).");

    // Proof that Up worked: what a reviewer would check by hand.
    public override Task Validate(PostgresContext db, CancellationToken ct) =>
        throw new NotImplementedException("Prove Up worked: e.g. db.RequireTableAsync(\"customers\", ct).");
}
