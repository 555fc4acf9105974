using MongoDB.Bson;
using Stepwise.MongoDb;

namespace Stepwise.Specification.Tests.MongoDb;

// The specification's migrations on MongoDB: each records the thing it is named after as a document of collection
// "things" (CRUD, which MongoDB runs inside a transaction on every supported server; dropping a collection it does
// not). The failing variants share the [Migration] identity of the migration they stand in for.

/// <summary>Records a thing, checked before and after; the base of the specification's MongoDB migrations.</summary>
public abstract class RecordThing(string thing) : MongoMigration
{
    public const string Things = "things";

    protected BsonDocument This => new("_id", thing);

    public override Task PreCheck(MongoContext db, CancellationToken ct) => db.RequireNoDocumentsAsync(Things, This, $"thing {thing} does not exist yet", ct);

    public override Task Up(MongoContext db, CancellationToken ct) => db.InsertManyAsync(Things, [This], ct);

    public override Task Down(MongoContext db, CancellationToken ct) => db.DeleteManyAsync(Things, This, ct);

    public override async Task Validate(MongoContext db, CancellationToken ct) =>
        Require(await db.CountAsync(Things, This, ct) == 1, $"thing {thing} exists", "it does not");
}

[Migration("1.0.0", 1)]
public sealed class RecordWidgets() : RecordThing("widgets");

[Migration("1.1.0", 1)]
public sealed class RecordGadgets() : RecordThing("gadgets");

[Migration("1.1.0", 2)]
[NonTransactional("the specification's step outside a transaction")]
public sealed class RecordGizmos() : RecordThing("gizmos");

[Migration("1.1.0", 1)]
public sealed class RecordGadgetsFailingValidate() : RecordThing("gadgets")
{
    public override Task Validate(MongoContext db, CancellationToken ct) => Task.FromException(new MigrationCheckException("gadgets has rows"));
}

[Migration("1.1.0", 1)]
public sealed class RecordGadgetsFailingUp() : RecordThing("gadgets")
{
    public override async Task Up(MongoContext db, CancellationToken ct)
    {
        await base.Up(db, ct);
        throw new InvalidOperationException("the second command failed");
    }
}

[Migration("1.1.0", 2)]
[NonTransactional("the specification's step outside a transaction")]
public sealed class RecordGizmosFailingUp() : RecordThing("gizmos")
{
    public override async Task Up(MongoContext db, CancellationToken ct)
    {
        await base.Up(db, ct);
        throw new InvalidOperationException("the second command failed");
    }
}

[Migration("1.1.0", 1)]
public sealed class RecordGadgetsFailingDown() : RecordThing("gadgets")
{
    public override Task Down(MongoContext db, CancellationToken ct) => Task.FromException(new InvalidOperationException("cannot remove gadgets"));
}

[Migration("1.1.0", 1)]
public sealed class RecordGadgetsChanged() : RecordThing("gadgets")
{
    public override Task Up(MongoContext db, CancellationToken ct) => db.InsertManyAsync(Things, [new BsonDocument { { "_id", "gadgets" }, { "name", "x" } }], ct);
}

[Migration("1.1.0", 1)]
[Changes(Things)]
public sealed class RecordGadgetsChangingWidgets() : RecordThing("gadgets");

[Migration("1.1.0", 2)]
[NonTransactional("the specification's step outside a transaction")]
public sealed class RecordGizmosInterrupted() : RecordThing("gizmos")
{
    public override async Task Up(MongoContext db, CancellationToken ct)
    {
        await base.Up(db, ct);
        Interruption.Stop();
    }
}

[Migration("1.1.0", 1)]
[RequiresTransaction]
public sealed class RecordGadgetsRequiringTransaction() : RecordThing("gadgets");
