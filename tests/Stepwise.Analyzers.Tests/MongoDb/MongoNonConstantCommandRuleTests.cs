using Verify = Stepwise.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Stepwise.Analyzers.MongoDb.MongoMigrationAnalyzer>;

namespace Stepwise.Analyzers.Tests.MongoDb;

/// <summary>SW3004: a command parsed from text needs constant text.</summary>
public sealed class MongoNonConstantCommandRuleTests
{
    [Theory]
    [InlineData("var name = db.Project; await db.RunCommandAsync(BsonDocument.Parse({|SW3004:$\"{{ collMod: '{name}' }}\"|}), ct);")]
    [InlineData("var name = db.Project; await db.RunCommandAsync(BsonDocument.Parse({|SW3004:\"{ collMod: '\" + name + \"' }\"|}), ct);")]
    [InlineData("var json = db.Environment ?? \"{}\"; await db.Database.RunCommandAsync(db.Session, new JsonCommand<BsonDocument>({|SW3004:json|}), cancellationToken: ct);")]
    public Task CommandFromNonConstantText_Triggers(string body) => Verify.VerifyAnalyzerAsync(MongoMigrationSource.Up(body));

    [Fact]
    public Task ConstantTextAndDocuments_DoNotTrigger() => Verify.VerifyAnalyzerAsync(MongoMigrationSource.Up("""
        const string Collection = "orders";
        await db.RunCommandAsync(BsonDocument.Parse("{ collMod: 'orders', validationLevel: 'moderate' }"), ct);
        await db.RunCommandAsync(BsonDocument.Parse($"{{ collMod: '{Collection}' }}"), ct);
        await db.RunCommandAsync(new BsonDocument { { "collMod", db.Project }, { "validationLevel", "moderate" } }, ct);
        """));
}
