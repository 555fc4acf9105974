using Verify = Stepwise.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Stepwise.Analyzers.Contract.MigrationDeclarationAnalyzer>;

namespace Stepwise.Analyzers.Tests.Contract;

/// <summary>SW1012 (duplicate identity), SW1013 (no project attribute) and SW1014 (invalid project name).</summary>
public sealed class AssemblyRulesTests
{
    [Fact]
    public Task SameIdentityTwice_Triggers() => Verify.VerifyAnalyzerAsync($$"""
        [{|SW1012:Migration("1.1.0", 1)|}]
        public sealed class AddOrders : PostgresMigration
        {
        {{Members.UpOnly}}
        }

        [{|SW1012:Migration("v1.1.0", 1, Phase = MigrationPhase.SchemaChanges)|}]
        public sealed class AddCustomers : PostgresMigration
        {
        {{Members.UpOnly}}
        }
        """);

    [Theory]
    [InlineData("Migration(\"1.1.0\", 2)")]
    [InlineData("Migration(\"1.1.0\", 1, Phase = MigrationPhase.DataMigration)")]
    [InlineData("Migration(\"1.1.0\", 1, From = \"1.0.0\")")]
    [InlineData("Migration(\"1.1.0\", 1, Path = MigrationPath.NewInstall)")]
    [InlineData("Migration(\"1.2.0\", 1)")]
    public Task DifferentIdentity_DoesNotTrigger(string second) => Verify.VerifyAnalyzerAsync($$"""
        [Migration("1.1.0", 1)]
        public sealed class AddOrders : PostgresMigration
        {
        {{Members.UpOnly}}
        }

        [{{second}}]
        public sealed class AddCustomers : PostgresMigration
        {
        {{Members.UpOnly}}
        }
        """);

    [Fact]
    public Task MigrationsWithoutProjectAttribute_TriggersOnce() => Verify.VerifyWithoutProjectAttributeAsync($$"""
        [Migration("1.1.0", 1)]
        public sealed class {|SW1013:AddCustomers|} : PostgresMigration
        {
        {{Members.UpOnly}}
        }

        [Migration("1.1.0", 2)]
        public sealed class AddOrders : PostgresMigration
        {
        {{Members.UpOnly}}
        }
        """);

    [Fact]
    public Task AssemblyWithoutMigrations_DoesNotTrigger() => Verify.VerifyWithoutProjectAttributeAsync("""
        public abstract class AuditedMigration : PostgresMigration
        {
        }
        """);

    [Theory]
    [InlineData("Orders")]
    [InlineData("e commerce")]
    [InlineData("orders-")]
    [InlineData("-orders")]
    [InlineData("e--commerce")]
    [InlineData("")]
    public Task InvalidProjectName_Triggers(string name) => Verify.VerifyWithoutProjectAttributeAsync($$"""
        [assembly: MigrationProject({|SW1014:"{{name}}"|})]
        """);

    [Theory]
    [InlineData("orders")]
    [InlineData("e-commerce-api")]
    [InlineData("billing_v2.reports")]
    public Task ValidProjectName_DoesNotTrigger(string name) => Verify.VerifyWithoutProjectAttributeAsync($$"""
        [assembly: MigrationProject("{{name}}")]
        """);
}
