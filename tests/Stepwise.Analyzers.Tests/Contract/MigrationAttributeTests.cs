using Verify = Stepwise.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Stepwise.Analyzers.Contract.MigrationMembersAnalyzer>;

namespace Stepwise.Analyzers.Tests.Contract;

/// <summary>SW1006 (a migration without [Migration]) and SW1007 ([Migration] on a type the runner cannot run).</summary>
public sealed class MigrationAttributeTests
{
    [Fact]
    public Task MigrationWithoutAttribute_Triggers() => Verify.VerifyAnalyzerAsync($$"""
        public sealed class {|SW1006:AddOrders|} : PostgresMigration
        {
        {{Members.Complete}}
        }
        """);

    [Fact]
    public Task MigrationWithAttribute_DoesNotTrigger() => Verify.VerifyAnalyzerAsync($$"""
        [Migration("1.1.0", 1)]
        public sealed class AddOrders : PostgresMigration
        {
        {{Members.Complete}}
        }
        """);

    [Fact]
    public Task AbstractBaseWithoutAttribute_DoesNotTrigger() => Verify.VerifyAnalyzerAsync("""
        public abstract class AuditedMigration : PostgresMigration
        {
        }
        """);

    [Fact]
    public Task AttributeOnAbstractClass_Triggers() => Verify.VerifyAnalyzerAsync("""
        [{|SW1007:Migration("1.1.0", 1)|}]
        public abstract class AddOrders : PostgresMigration
        {
        }
        """);

    [Fact]
    public Task AttributeOnClassThatIsNotAMigration_Triggers() => Verify.VerifyAnalyzerAsync("""
        [{|SW1007:Migration("1.1.0", 1)|}]
        public sealed class AddOrders
        {
        }
        """);

    [Fact]
    public Task AttributeOnGenericClass_Triggers() => Verify.VerifyAnalyzerAsync($$"""
        [{|SW1007:Migration("1.1.0", 1)|}]
        public sealed class AddOrders<T> : PostgresMigration
        {
        {{Members.Complete}}
        }
        """);

    [Fact]
    public Task AttributeOnPrivateNestedClass_Triggers() => Verify.VerifyAnalyzerAsync($$"""
        public static class Migrations
        {
            [{|SW1007:Migration("1.1.0", 1)|}]
            private sealed class AddOrders : PostgresMigration
            {
            {{Members.Complete}}
            }
        }
        """);

    [Fact]
    public Task InternalNestedMigration_DoesNotTrigger() => Verify.VerifyAnalyzerAsync($$"""
        public static class Migrations
        {
            [Migration("1.1.0", 1)]
            internal sealed class AddOrders : PostgresMigration
            {
            {{Members.Complete}}
            }
        }
        """);
}
