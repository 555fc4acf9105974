using MongoDB.Bson;
using Stepwise;
using Stepwise.MongoDb;

namespace Company.Migrations.Versions.V1_0_0.NewInstall;

// Builds version 1.0.0's collections on an empty database. The build fails until each member below does real work: that
// is the point (SW1001 Down, SW1002 Validate, SW1003 PreCheck). Outside a transaction, because MongoDB refuses to drop a
// collection inside one; so Up creates each part only when it is missing, and a run stopped half-way can run it again.
[Migration("1.0.0", 1, Path = MigrationPath.NewInstall, Phase = MigrationPhase.Schema, Description = "Create the collections")]
[NonTransactional("Down drops collections, which MongoDB refuses inside a transaction; Up is safe to run again")]
public sealed class CreateSchema : MongoMigration
{
    // The state the migration starts from, checked before Up (and again after Down, which proves the rollback):
    // e.g. await db.RequireNoCollectionAsync("customers", ct);
    public override Task PreCheck(MongoContext db, CancellationToken ct) =>
        throw new NotImplementedException("Check the state before Up: e.g. db.RequireNoCollectionAsync(\"customers\", ct).");

    // The change, through db's helpers, which send it in the step's session: e.g. db.CreateCollectionAsync("customers", ct)
    // when db.CollectionExistsAsync says it is missing, then db.CreateIndexAsync("customers", new BsonDocument("email", 1),
    // "customers_email", unique: true, ct).
    public override Task Up(MongoContext db, CancellationToken ct) =>
        throw new NotImplementedException("Write the change: e.g. db.CreateCollectionAsync(\"customers\", ct).");

    // Undoes Up exactly, so that PreCheck passes again.
    public override Task Down(MongoContext db, CancellationToken ct) =>
        throw new NotImplementedException("Undo Up: e.g. db.DropCollectionAsync(\"customers\", ct).");

    // Proof that Up worked: what a reviewer would check by hand.
    public override Task Validate(MongoContext db, CancellationToken ct) =>
        throw new NotImplementedException("Prove Up worked: e.g. db.RequireCollectionAsync(\"customers\", ct).");
}
