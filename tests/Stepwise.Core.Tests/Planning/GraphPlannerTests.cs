using Stepwise.Catalog;
using Stepwise.Configuration;
using Stepwise.Planning;
using Stepwise.State;
using Stepwise.Versioning;

namespace Stepwise.Core.Tests.Planning;

/// <summary>Planning over hand-made compatibility matrices.</summary>
public sealed class GraphPlannerTests
{
    // 1.0.0 -> 1.1.0 -> 2.0.0 and 1.0.0 -> 1.2.0 -> 2.0.0 (a diamond), 2.0.0 -> 3.0.0; 3.0.0 has a new-install set.
    internal const string DiamondMatrix =
        """
        v1.0.0: { upgrades_to: [v1.2.0, v1.1.0], rollback_to: [] }
        v1.1.0: { upgrades_to: [v2.0.0], rollback_to: [v1.0.0] }
        v1.2.0: { upgrades_to: [v2.0.0], rollback_to: [v1.0.0] }
        v2.0.0: { upgrades_to: [v3.0.0], rollback_to: [v1.1.0] }
        v3.0.0: { upgrades_to: [], rollback_to: [v2.0.0] }
        """;

    internal static readonly ProjectCatalog Diamond = Matrices.WithMatrix(new CatalogBuilder()
        .Upgrade("1.0.0", 1)
        .Upgrade("1.1.0", 1).Upgrade("1.2.0", 1)
        .Upgrade("2.0.0", 1).Upgrade("2.0.0", 2, from: "1.1.0").Upgrade("2.0.0", 3, from: "1.2.0")
        .Upgrade("3.0.0", 1).NewInstall("3.0.0", 1).NewInstall("3.0.0", 1, MigrationPhase.Indexes)
        .Build(), DiamondMatrix);

    [Fact]
    public void Upgrade_InADiamond_TakesTheShortestPathThroughTheLowerVersion()
    {
        var plan = Plan(Diamond, States.InstalledAt(Diamond, "1.0.0"), Operation.Upgrade, "2.0.0");

        Assert.Equal(["1.0.0", "1.1.0", "2.0.0"], plan.Route.Select(static v => v.ToString()));
        Assert.Equal(["1.1.0/upgrade/schema-changes/1", "2.0.0/upgrade/schema-changes/1", "2.0.0/upgrade-from-1.1.0/schema-changes/2"], Keys(plan));
    }

    [Fact]
    public void Upgrade_FromTheOtherSideOfTheDiamond_RunsThatHopsFromRestrictedMigration()
    {
        var state = States.At("1.2.0", Diamond, "1.0.0/upgrade/schema-changes/1", "1.2.0/upgrade/schema-changes/1");

        var plan = Plan(Diamond, state, Operation.Upgrade, "3.0.0");

        Assert.Equal(["1.2.0", "2.0.0", "3.0.0"], plan.Route.Select(static v => v.ToString()));
        Assert.Equal(["2.0.0/upgrade/schema-changes/1", "2.0.0/upgrade-from-1.2.0/schema-changes/3", "3.0.0/upgrade/schema-changes/1"], Keys(plan));
    }

    [Fact]
    public void Upgrade_ToAnUnreachableVersion_IsRefusedNamingTheAllowedTargets()
    {
        var state = States.At("1.1.0", Diamond, "1.0.0/upgrade/schema-changes/1", "1.1.0/upgrade/schema-changes/1");

        var error = Assert.Throws<StepwiseException>(() => Plan(Diamond, state, Operation.Upgrade, "1.2.0"));

        Assert.Equal(FailureKind.InvalidState, error.Kind);
        Assert.Contains("cannot upgrade from 1.1.0 to 1.2.0", error.Message, StringComparison.Ordinal);
        Assert.Contains("Allowed upgrade targets from 1.1.0: 2.0.0, 3.0.0.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rollback_WalksBackOverSeveralHops()
    {
        var state = States.At("3.0.0", Diamond, "1.0.0/upgrade/schema-changes/1", "1.1.0/upgrade/schema-changes/1",
            "2.0.0/upgrade/schema-changes/1", "2.0.0/upgrade-from-1.1.0/schema-changes/2", "3.0.0/upgrade/schema-changes/1");

        var plan = Plan(Diamond, state, Operation.Rollback, "1.0.0");

        Assert.Equal(["3.0.0", "2.0.0", "1.1.0", "1.0.0"], plan.Route.Select(static v => v.ToString()));
        Assert.Equal(
            ["3.0.0/upgrade/schema-changes/1", "2.0.0/upgrade-from-1.1.0/schema-changes/2", "2.0.0/upgrade/schema-changes/1", "1.1.0/upgrade/schema-changes/1"],
            Keys(plan));
        // Each version is left with the first of its migrations undone.
        Assert.Equal(["2.0.0", "1.1.0", null, "1.0.0"], plan.Steps.Select(static s => s.VersionAfter?.ToString()));
    }

    [Fact]
    public void Rollback_NotAllowedByTheMatrix_IsRefusedNamingTheAllowedTargets()
    {
        var state = States.At("1.1.0", Diamond, "1.0.0/upgrade/schema-changes/1", "1.1.0/upgrade/schema-changes/1");
        var catalog = Matrices.WithMatrix(new CatalogBuilder().Upgrade("1.0.0", 1).Upgrade("1.1.0", 1).Build(),
            """
            v1.0.0: { upgrades_to: [v1.1.0], rollback_to: [] }
            v1.1.0: { upgrades_to: [], rollback_to: [] }
            """);

        var error = Assert.Throws<StepwiseException>(() => Plan(catalog, state, Operation.Rollback, "1.0.0"));

        Assert.Contains("cannot roll back from 1.1.0 to 1.0.0", error.Message, StringComparison.Ordinal);
        Assert.Contains("Allowed rollback targets from 1.1.0: none.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rollback_ToAVersionTheDatabaseSkipped_IsRefusedNamingTheVersionsItPassedThrough()
    {
        var state = States.At("2.0.0", Diamond, "1.0.0/upgrade/schema-changes/1", "1.1.0/upgrade/schema-changes/1",
            "2.0.0/upgrade/schema-changes/1", "2.0.0/upgrade-from-1.1.0/schema-changes/2");
        var catalog = Matrices.WithMatrix(new ProjectCatalog("shop", Diamond.Migrations), DiamondMatrix.Replace("rollback_to: [v1.1.0]", "rollback_to: [v1.1.0, v1.2.0]", StringComparison.Ordinal));

        var error = Assert.Throws<StepwiseException>(() => Plan(catalog, state, Operation.Rollback, "1.2.0"));

        Assert.Contains("never was at 1.2.0 in this database", error.Message, StringComparison.Ordinal);
        Assert.Contains("Roll back to a version it passed through: 1.0.0, 1.1.0.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Install_AtAVersionWithANewInstallSet_UsesItDirectly()
    {
        var plan = Plan(Diamond, States.Empty, Operation.Install, "3.0.0");

        Assert.Equal(["3.0.0/new-install/schema/1", "3.0.0/new-install/indexes/1"], Keys(plan));
        Assert.Equal(["3.0.0"], plan.Route.Select(static v => v.ToString()));
    }

    [Fact]
    public void Install_BelowTheNewInstallSet_UpgradesFromTheFirstVersionAlongTheMatrix()
    {
        var plan = Plan(Diamond, States.Empty, Operation.Install, "2.0.0");

        Assert.Equal(["1.0.0", "1.1.0", "2.0.0"], plan.Route.Select(static v => v.ToString()));
        Assert.Equal(
            ["1.0.0/upgrade/schema-changes/1", "1.1.0/upgrade/schema-changes/1", "2.0.0/upgrade/schema-changes/1", "2.0.0/upgrade-from-1.1.0/schema-changes/2"],
            Keys(plan));
    }

    [Fact]
    public void Install_OfAVersionNoPathReaches_IsRefused()
    {
        var catalog = Matrices.WithMatrix(new CatalogBuilder().Upgrade("1.0.0", 1).Upgrade("2.0.0", 1).Build(),
            """
            v1.0.0: { upgrades_to: [], rollback_to: [] }
            v2.0.0: { upgrades_to: [], rollback_to: [] }
            """);

        var error = Assert.Throws<StepwiseException>(() => Plan(catalog, States.Empty, Operation.Install, "2.0.0"));

        Assert.Contains("2.0.0 cannot be installed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RequireRollbackPolicy_RefusesAPlanWithAnIrreversibleMigration()
    {
        var catalog = Matrices.WithMatrix(new CatalogBuilder().Upgrade("1.0.0", 1).Upgrade("1.1.0", 1, reversible: false, name: "DropColumn").Build(),
            "v1.0.0: { upgrades_to: [v1.1.0] }\nv1.1.0: { rollback_to: [v1.0.0] }", "require_rollback: true");

        var error = Assert.Throws<StepwiseException>(() => Plan(catalog, States.InstalledAt(catalog, "1.0.0"), Operation.Upgrade, "1.1.0"));

        Assert.Equal(FailureKind.Catalog, error.Kind);
        Assert.Contains("DropColumn (1.1.0/upgrade/schema-changes/1) has no rollback (drops data), and the project's policy require_rollback demands one", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RequireValidationPolicy_RefusesAPlanWithAnUnvalidatedMigration()
    {
        var built = new CatalogBuilder().Upgrade("1.0.0", 1, name: "Unchecked").Build();
        var catalog = Matrices.WithMatrix(new ProjectCatalog("shop", built.Migrations.Select(static m => m with { Validated = false })),
            "v1.0.0: { upgrades_to: [] }", "require_validation: true");

        var error = Assert.Throws<StepwiseException>(() => Plan(catalog, States.Empty, Operation.Install, "1.0.0"));

        Assert.Contains("Unchecked (1.0.0/upgrade/schema-changes/1) does not implement Validate", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("dry_run_first: true")]
    public void WithoutRequireValidationSet_AnUnvalidatedMigrationIsRefused_AsTheBuildRefusesIt(string? policies)
    {
        var built = new CatalogBuilder().Upgrade("1.0.0", 1, name: "Unchecked").Build();
        var unvalidated = new ProjectCatalog("shop", built.Migrations.Select(static m => m with { Validated = false }));
        var catalog = policies is null ? unvalidated : Matrices.WithMatrix(unvalidated, "v1.0.0: { upgrades_to: [] }", policies);

        var error = Assert.Throws<StepwiseException>(() => Plan(catalog, States.Empty, Operation.Install, "1.0.0"));

        Assert.Contains("does not implement Validate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutPolicies_AnIrreversibleMigrationMayRun()
    {
        var catalog = new CatalogBuilder().Upgrade("1.0.0", 1).Upgrade("1.1.0", 1, reversible: false).Build();

        var plan = Plan(catalog, States.InstalledAt(catalog, "1.0.0"), Operation.Upgrade, "1.1.0");

        Assert.Single(plan.Steps);
    }

    private static MigrationPlan Plan(ProjectCatalog catalog, DatabaseState state, Operation operation, string target) =>
        MigrationPlanner.Plan(catalog, state, new PlanRequest(operation, ProjectVersion.Parse(target)));

    private static string[] Keys(MigrationPlan plan) => plan.Steps.Select(static s => s.Migration.Key).ToArray();
}
