using Verify = Stepwise.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Stepwise.Analyzers.MongoDb.MongoMigrationAnalyzer>;

namespace Stepwise.Analyzers.Tests.MongoDb;

/// <summary>SW3005: in a transactional migration, a driver call that has a session overload must be given the step's session.</summary>
public sealed class MongoSessionRuleTests
{
    [Theory]
    [InlineData("await {|SW3005:db.Collection(\"orders\").InsertOneAsync(new BsonDocument(\"_id\", 1), cancellationToken: ct)|};")]
    [InlineData("await {|SW3005:db.Collection(\"orders\").UpdateManyAsync(Builders<BsonDocument>.Filter.Empty, Builders<BsonDocument>.Update.Set(\"tier\", \"basic\"))|};")]
    [InlineData("var n = await {|SW3005:db.Collection(\"orders\").CountDocumentsAsync(Builders<BsonDocument>.Filter.Empty)|};")]
    [InlineData("var all = await {|SW3005:db.Collection(\"orders\").Find(Builders<BsonDocument>.Filter.Empty)|}.ToListAsync(ct);")]
    [InlineData("await {|SW3005:db.Database.CreateCollectionAsync(\"carts\")|};")]
    [InlineData("await {|SW3005:db.Database.RunCommandAsync<BsonDocument>(new BsonDocument(\"ping\", 1))|};")]
    public Task CallWithoutTheSession_Triggers(string body) => Verify.VerifyAnalyzerAsync(MongoMigrationSource.Up(body));

    [Fact]
    public Task CallsWithTheSessionAndHelpers_DoNotTrigger() => Verify.VerifyAnalyzerAsync(MongoMigrationSource.Up("""
        var orders = db.Collection("orders");
        await orders.InsertOneAsync(db.Session, new BsonDocument("_id", 1), cancellationToken: ct);
        var all = await orders.Find(db.Session, Builders<BsonDocument>.Filter.Empty).ToListAsync(ct);
        await db.UpdateManyAsync("orders", new BsonDocument(), new BsonDocument("$set", new BsonDocument("tier", "basic")), ct);
        await db.CreateCollectionAsync("carts", ct);
        """));

    [Fact]
    public Task NonTransactionalMigration_DoesNotTrigger() => Verify.VerifyAnalyzerAsync(MongoMigrationSource.Up(
        "await db.Collection(\"orders\").Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(new BsonDocument(\"status\", 1), new CreateIndexOptions { Name = \"orders_status\" }), cancellationToken: ct);",
        MongoMigrationSource.NonTransactional));

    [Fact]
    public Task PostgreSqlMigration_IsNotChecked() => Verify.VerifyAnalyzerAsync("""
        [Migration("1.1.0", 1)]
        public sealed class AddOrders : PostgresMigration
        {
            public override Task Up(PostgresContext db, CancellationToken ct) =>
                new MongoDB.Driver.MongoClient().GetDatabase("x").CreateCollectionAsync("carts");
        }
        """);
}
