using MongoDB.Bson;
using Stepwise;
using Stepwise.MongoDb;

namespace ECommerce.Documents.Migrations.Migrations;

[Migration("1.2.0", 1, Description = "Every order records the channel it came from; orders before 1.2.0 came from the web shop")]
public sealed class AddOrderChannel : MongoMigration
{
    private static readonly BsonDocument WithoutChannel = new("channel", new BsonDocument("$exists", false));

    public override Task PreCheck(MongoContext db, CancellationToken ct) => db.RequireCollectionAsync(CreateOrdersCollection.Orders, ct);

    // In one transaction with Validate: either every order has its channel, or none was changed.
    public override Task Up(MongoContext db, CancellationToken ct) =>
        db.UpdateManyAsync(CreateOrdersCollection.Orders, WithoutChannel, new BsonDocument("$set", new BsonDocument("channel", "web")), ct);

    public override Task Down(MongoContext db, CancellationToken ct) =>
        db.UpdateManyAsync(CreateOrdersCollection.Orders, new BsonDocument("channel", "web"),
            new BsonDocument("$unset", new BsonDocument("channel", "")), ct);

    public override Task Validate(MongoContext db, CancellationToken ct) =>
        db.RequireNoDocumentsAsync(CreateOrdersCollection.Orders, WithoutChannel, "every order has a channel", ct);
}
