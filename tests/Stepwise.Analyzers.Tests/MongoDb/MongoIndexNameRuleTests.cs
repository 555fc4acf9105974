using Verify = Stepwise.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Stepwise.Analyzers.MongoDb.MongoMigrationAnalyzer>;

namespace Stepwise.Analyzers.Tests.MongoDb;

/// <summary>SW3003: an index needs a name.</summary>
public sealed class MongoIndexNameRuleTests
{
    [Theory]
    [InlineData("{|SW3003:new CreateIndexModel<BsonDocument>(new BsonDocument(\"customer_id\", 1))|}")]
    [InlineData("new CreateIndexModel<BsonDocument>(new BsonDocument(\"customer_id\", 1), {|SW3003:new CreateIndexOptions { Unique = true }|})")]
    [InlineData("new CreateIndexModel<BsonDocument>(new BsonDocument(\"customer_id\", 1), {|SW3003:new CreateIndexOptions()|})")]
    public Task UnnamedIndex_Triggers(string model) => Verify.VerifyAnalyzerAsync(MongoMigrationSource.Up(
        $"await db.Collection(\"orders\").Indexes.CreateOneAsync(db.Session, {model}, cancellationToken: ct);"));

    [Fact]
    public Task NamedIndex_DoesNotTrigger() => Verify.VerifyAnalyzerAsync(MongoMigrationSource.Up("""
        await db.Collection("orders").Indexes.CreateOneAsync(db.Session,
            new CreateIndexModel<BsonDocument>(new BsonDocument("customer_id", 1), new CreateIndexOptions { Name = "orders_customer", Unique = true }),
            cancellationToken: ct);
        await db.CreateIndexAsync("orders", new BsonDocument("status", 1), "orders_status", unique: false, ct);
        """));
}
