using Verify = Stepwise.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Stepwise.Analyzers.MongoDb.MongoMigrationAnalyzer>;

namespace Stepwise.Analyzers.Tests.MongoDb;

/// <summary>SW3001: dropping a collection or a database in an upgrade needs [Destructive("why")].</summary>
public sealed class MongoDropRuleTests
{
    [Theory]
    [InlineData("await {|SW3001:db.DropCollectionAsync(\"carts\", ct)|};")]
    [InlineData("await {|SW3001:db.Database.DropCollectionAsync(db.Session, \"carts\", ct)|};")]
    [InlineData("await {|SW3001:db.Client.DropDatabaseAsync(db.Session, \"legacy\", ct)|};")]
    [InlineData("await db.RunCommandAsync({|SW3001:new BsonDocument(\"drop\", \"carts\")|}, ct);")]
    [InlineData("await db.RunCommandAsync({|SW3001:new BsonDocument { { \"dropDatabase\", 1 } }|}, ct);")]
    [InlineData("await db.RunCommandAsync(BsonDocument.Parse({|SW3001:\"{ drop: 'carts' }\"|}), ct);")]
    public Task DropInUpgrade_Triggers(string body) => Verify.VerifyAnalyzerAsync(MongoMigrationSource.Up(body));

    [Fact]
    public Task DropWithJustification_DoesNotTrigger() => Verify.VerifyAnalyzerAsync(MongoMigrationSource.Up(
        "await db.DropCollectionAsync(\"carts\", ct);", "[Destructive(\"carts moved to orders in 2.3.0\")]"));

    [Fact]
    public Task DropInDown_DoesNotTrigger() => Verify.VerifyAnalyzerAsync(MongoMigrationSource.Down("await db.DropCollectionAsync(\"carts\", ct);"));

    [Fact]
    public Task DropInNewInstall_DoesNotTrigger() => Verify.VerifyAnalyzerAsync(MongoMigrationSource.Up(
        "await db.DropCollectionAsync(\"scratch\", ct);", migration: MongoMigrationSource.NewInstall));

    [Fact]
    public Task OtherCommands_DoNotTrigger() => Verify.VerifyAnalyzerAsync(MongoMigrationSource.Up("""
        await db.RunCommandAsync(new BsonDocument { { "collMod", "carts" }, { "validationLevel", "moderate" } }, ct);
        await db.RunCommandAsync(BsonDocument.Parse("{ collMod: 'carts', dropped: true }"), ct);
        """));
}
