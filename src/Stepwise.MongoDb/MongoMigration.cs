namespace Stepwise.MongoDb;

/// <summary>A migration of a MongoDB database.</summary>
/// <example>
/// <code>
/// [Migration("1.1.0", 1, Description = "Orders collection")]
/// public sealed class AddOrders : MongoMigration
/// {
///     public override Task PreCheck(MongoContext db, CancellationToken ct) =&gt; db.RequireNoCollectionAsync("orders", ct);
///     public override Task Up(MongoContext db, CancellationToken ct) =&gt; db.CreateCollectionAsync("orders", ct);
///     public override Task Down(MongoContext db, CancellationToken ct) =&gt; db.DropCollectionAsync("orders", ct);
///     public override Task Validate(MongoContext db, CancellationToken ct) =&gt; db.RequireCollectionAsync("orders", ct);
/// }
/// </code>
/// </example>
public abstract class MongoMigration : Migration<MongoContext>
{
}
