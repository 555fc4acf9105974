using Verify = Stepwise.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Stepwise.Analyzers.Contract.MigrationDeclarationAnalyzer>;

namespace Stepwise.Analyzers.Tests.Contract;

/// <summary>SW1015: a migration's version has no entry in project-config.yaml's compatibility matrix.</summary>
public sealed class VersionNotInCompatibilityMatrixTests
{
    private const string Matrix = "spec:\n  compatibility_matrix:\n    v1.0.0:\n      upgrades_to: []\n      rollback_to: []\n";

    [Fact]
    public Task VersionWithoutAnEntry_TriggersWithTheEntryToAdd() => Verify.VerifyWithPolicyAsync(Matrix, $$"""
        [Migration({|#0:"1.1.0"|}, 1)]
        public sealed class AddOrders : PostgresMigration
        {
        {{Members.Complete}}
        }
        """,
        Verify.Diagnostic("SW1015").WithLocation(0).WithArguments("1.1.0", "v1.0.0", ", and v1.1.0 to the upgrades_to of v1.0.0"));

    [Fact]
    public Task VersionBelowEveryEntry_TriggersWithoutAVersionToComeFrom() => Verify.VerifyWithPolicyAsync(
        "spec:\n  compatibility_matrix: { v2.0.0: { upgrades_to: [], rollback_to: [] } }\n", $$"""
        [Migration({|#0:"v1.0.0"|}, 1)]
        public sealed class CreateOrders : PostgresMigration
        {
        {{Members.Complete}}
        }
        """,
        Verify.Diagnostic("SW1015").WithLocation(0).WithArguments("1.0.0", "", ""));

    [Theory]
    [InlineData("1.0.0")]
    [InlineData("v1.0.0")]
    public Task VersionWithAnEntry_DoesNotTrigger(string version) => Verify.VerifyWithPolicyAsync(Matrix, $$"""
        [Migration("{{version}}", 1)]
        public sealed class CreateOrders : PostgresMigration
        {
        {{Members.Complete}}
        }
        """);

    [Fact]
    public Task ProjectWithoutAMatrix_DoesNotTrigger() => Verify.VerifyWithPolicyAsync("spec:\n  migration:\n    policies: { require_rollback: true }\n", $$"""
        [Migration("3.4.5", 1)]
        public sealed class AddOrders : PostgresMigration
        {
        {{Members.Complete}}
        }
        """);

    [Fact]
    public Task PreReleaseBetweenEntries_NamesTheReleaseBelowIt() => Verify.VerifyWithPolicyAsync(
        "spec:\n  compatibility_matrix:\n    v1.0.0: { upgrades_to: [], rollback_to: [] }\n    v1.10.0: { upgrades_to: [], rollback_to: [] }\n    v1.2.0: { upgrades_to: [], rollback_to: [] }\n", $$"""
        [Migration({|#0:"1.9.0-rc.1"|}, 1)]
        public sealed class AddOrders : PostgresMigration
        {
        {{Members.Complete}}
        }
        """,
        Verify.Diagnostic("SW1015").WithLocation(0).WithArguments("1.9.0-rc.1", "v1.2.0", ", and v1.9.0-rc.1 to the upgrades_to of v1.2.0"));
}
