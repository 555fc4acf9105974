using Verify = Stepwise.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Stepwise.Analyzers.Contract.MigrationMembersAnalyzer>;

namespace Stepwise.Analyzers.Tests.Contract;

public sealed class IrreversibleNotAllowedTests
{
    private const string Migration = """
        [Migration("1.1.0", 1)]
        [{|SW1004:Irreversible("prices are recomputed")|}]
        public sealed class {|SW1001:RecomputePrices|} : PostgresMigration
        {
            public override async Task PreCheck(PostgresContext db, CancellationToken ct) => Require(await db.TableExistsAsync("prices", ct), "prices exists");
            public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("UPDATE prices SET amount = amount * 100", ct);
            public override async Task Validate(PostgresContext db, CancellationToken ct) => Require(await db.TableExistsAsync("prices", ct), "prices exists");
        }
        """;

    [Theory]
    [InlineData("spec:\n  migration:\n    policies:\n      require_rollback: true\n")]
    [InlineData("spec:\n  migration:\n    policies: { require_rollback: true, require_validation: true }\n")]
    [InlineData("# policies\nspec:\n  migration: { policies: { require_rollback: TRUE } }\n")]
    [InlineData("metadata:\n  name: orders\nspec:\n  databases:\n    primary:\n      type: postgresql\n      schemas: [\"public\"]\n  migration:\n    policies:\n      dry_run_first: true\n      require_rollback: \"true\"\n")]
    public Task IrreversibleWhenPolicyRequiresRollback_Triggers(string projectConfig) =>
        Verify.VerifyWithPolicyAsync(projectConfig, Migration);

    [Theory]
    [InlineData("spec:\n  migration:\n    policies:\n      require_rollback: false\n")]
    [InlineData("spec:\n  migration:\n    policies:\n      require_validation: true\n")]
    [InlineData("other:\n  require_rollback: true\nspec:\n  compatibility_matrix:\n    v1.0.0: { upgrades_to: [v1.1.0], rollback_to: [] }\n")]
    [InlineData("spec:\n  migration:\n    policies:\n      require_rollback: yes\n")] // not a YAML 1.2 boolean: the runner refuses the file
    public Task IrreversibleWhenPolicyAllowsIt_DoesNotTrigger(string projectConfig) => Verify.VerifyWithPolicyAsync(projectConfig, """
        [Migration("1.1.0", 1)]
        [Irreversible("prices are recomputed")]
        public sealed class RecomputePrices : PostgresMigration
        {
            public override async Task PreCheck(PostgresContext db, CancellationToken ct) => Require(await db.TableExistsAsync("prices", ct), "prices exists");
            public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("UPDATE prices SET amount = amount * 100", ct);
            public override async Task Validate(PostgresContext db, CancellationToken ct) => Require(await db.TableExistsAsync("prices", ct), "prices exists");
        }
        """);

    [Fact]
    public Task ReversibleMigrationUnderStrictPolicy_DoesNotTrigger() => Verify.VerifyWithPolicyAsync(
        "spec:\n  migration:\n    policies:\n      require_rollback: true\n",
        $$"""
        [Migration("1.1.0", 1)]
        public sealed class AddOrders : PostgresMigration
        {
        {{Members.Complete}}
        }
        """);
}
