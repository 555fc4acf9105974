using MongoDB.Bson;
using MongoDB.Driver;
using Stepwise;
using Stepwise.MongoDb;

namespace ECommerce.Documents.Migrations.Migrations;

[Migration("1.1.0", 1, Description = "The orders collection: its JSON schema and its user, order number and status indexes")]
[NonTransactional("Down drops the collection, which MongoDB refuses inside a transaction; Up is safe to run again")]
public sealed class CreateOrdersCollection : MongoMigration
{
    internal const string Orders = "orders";

    internal static readonly BsonDocument Schema = new()
    {
        { "bsonType", "object" },
        { "required", new BsonArray { "user_id", "order_number", "status", "total_amount" } },
        {
            "properties", new BsonDocument
            {
                { "user_id", new BsonDocument("bsonType", "objectId") },
                { "order_number", new BsonDocument("bsonType", "string") },
                { "status", new BsonDocument { { "bsonType", "string" }, { "enum", new BsonArray { "pending", "confirmed", "shipped", "delivered" } } } },
                { "total_amount", new BsonDocument("bsonType", "decimal") },
            }
        },
    };

    private static readonly (string Name, string Field, bool Unique)[] Indexes =
    [
        ("orders_user", "user_id", false),
        ("orders_order_number", "order_number", true),
        ("orders_status", "status", false),
    ];

    public override Task PreCheck(MongoContext db, CancellationToken ct) => db.RequireNoCollectionAsync(Orders, ct);

    public override async Task Up(MongoContext db, CancellationToken ct)
    {
        // Outside a transaction: a run stopped half-way is run again, so each part is created only when missing.
        if (!await db.CollectionExistsAsync(Orders, ct))
        {
            await db.CreateCollectionAsync(Orders,
                new CreateCollectionOptions<BsonDocument> { Validator = new BsonDocument("$jsonSchema", Schema) }, ct);
        }

        foreach (var (name, field, unique) in Indexes)
        {
            await db.CreateIndexAsync(Orders, new BsonDocument(field, 1), name, unique, ct);
        }
    }

    public override Task Down(MongoContext db, CancellationToken ct) => db.DropCollectionAsync(Orders, ct);

    public override async Task Validate(MongoContext db, CancellationToken ct)
    {
        await db.RequireCollectionAsync(Orders, ct);
        foreach (var (name, _, _) in Indexes)
        {
            await db.RequireIndexAsync(Orders, name, ct);
        }

        Require(await db.ValidatorOfAsync(Orders, ct) is { } schema && schema.Contains("required"), "orders has its JSON schema", "it has none");
    }
}
