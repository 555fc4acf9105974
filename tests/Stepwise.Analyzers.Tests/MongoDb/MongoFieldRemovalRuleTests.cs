using Verify = Stepwise.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Stepwise.Analyzers.MongoDb.MongoMigrationAnalyzer>;

namespace Stepwise.Analyzers.Tests.MongoDb;

/// <summary>SW3002: $unset and $rename of a field in an upgrade need [Destructive("why")].</summary>
public sealed class MongoFieldRemovalRuleTests
{
    [Theory]
    [InlineData("await db.UpdateManyAsync(\"orders\", new BsonDocument(), new BsonDocument({|SW3002:\"$unset\"|}, new BsonDocument(\"legacy\", \"\")), ct);")]
    [InlineData("await db.UpdateManyAsync(\"orders\", new BsonDocument(), new BsonDocument({|SW3002:\"$rename\"|}, new BsonDocument(\"sku\", \"code\")), ct);")]
    [InlineData("await db.UpdateManyAsync(\"orders\", new BsonDocument(), BsonDocument.Parse({|SW3002:\"{ $unset: { legacy: '' } }\"|}), ct);")]
    [InlineData("await db.Collection(\"orders\").UpdateManyAsync(db.Session, Builders<BsonDocument>.Filter.Empty, {|SW3002:Builders<BsonDocument>.Update.Unset(\"legacy\")|}, cancellationToken: ct);")]
    [InlineData("await db.Collection(\"orders\").UpdateManyAsync(db.Session, Builders<BsonDocument>.Filter.Empty, {|SW3002:Builders<BsonDocument>.Update.Rename(\"sku\", \"code\")|}, cancellationToken: ct);")]
    public Task FieldRemovalInUpgrade_Triggers(string body) => Verify.VerifyAnalyzerAsync(MongoMigrationSource.Up(body));

    [Fact]
    public Task FieldRemovalWithJustification_DoesNotTrigger() => Verify.VerifyAnalyzerAsync(MongoMigrationSource.Up(
        "await db.UpdateManyAsync(\"orders\", new BsonDocument(), new BsonDocument(\"$unset\", new BsonDocument(\"legacy\", \"\")), ct);",
        "[Destructive(\"legacy is read by nothing since 3.1.0\")]"));

    [Fact]
    public Task FieldRemovalInDown_DoesNotTrigger() => Verify.VerifyAnalyzerAsync(MongoMigrationSource.Down(
        "await db.UpdateManyAsync(\"orders\", new BsonDocument(), new BsonDocument(\"$unset\", new BsonDocument(\"tier\", \"\")), ct);"));

    [Fact]
    public Task SettingAField_DoesNotTrigger() => Verify.VerifyAnalyzerAsync(MongoMigrationSource.Up(
        "await db.UpdateManyAsync(\"orders\", new BsonDocument(), new BsonDocument(\"$set\", new BsonDocument(\"tier\", \"basic\")), ct);"));
}
