using Verify = Stepwise.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Stepwise.Analyzers.MongoDb.MongoMigrationAnalyzer>;

namespace Stepwise.Analyzers.Tests.MongoDb;

/// <summary>SW3006: in a transactional migration, a catch must rethrow.</summary>
public sealed class MongoSwallowedExceptionRuleTests
{
    [Theory]
    [InlineData("try { await db.CreateCollectionAsync(\"carts\", ct); } {|SW3006:catch|} (MongoCommandException) { }")]
    [InlineData("try { await db.CreateCollectionAsync(\"carts\", ct); } {|SW3006:catch|} { Console.WriteLine(\"exists\"); }")]
    public Task CatchThatDoesNotRethrow_Triggers(string body) => Verify.VerifyAnalyzerAsync(MongoMigrationSource.Up(body));

    [Theory]
    [InlineData("try { await db.CreateCollectionAsync(\"carts\", ct); } catch (MongoCommandException) { Console.WriteLine(\"failed\"); throw; }")]
    [InlineData("try { await db.CreateCollectionAsync(\"carts\", ct); } catch (MongoCommandException ex) { throw new InvalidOperationException(\"carts\", ex); }")]
    public Task CatchThatRethrows_DoesNotTrigger(string body) => Verify.VerifyAnalyzerAsync(MongoMigrationSource.Up(body));

    [Fact]
    public Task NonTransactionalMigration_DoesNotTrigger() => Verify.VerifyAnalyzerAsync(MongoMigrationSource.Up(
        "try { await db.CreateCollectionAsync(\"carts\", ct); } catch (MongoCommandException) { }", MongoMigrationSource.NonTransactional));
}
