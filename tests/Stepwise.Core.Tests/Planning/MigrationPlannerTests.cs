using Stepwise.Catalog;
using Stepwise.Planning;
using Stepwise.State;
using Stepwise.Versioning;

namespace Stepwise.Core.Tests.Planning;

public sealed class MigrationPlannerTests
{
    private static readonly ProjectCatalog Linear = new CatalogBuilder()
        .Upgrade("1.0.0", 1).Upgrade("1.0.0", 2)
        .Upgrade("1.1.0", 1).Upgrade("1.1.0", 1, phase: MigrationPhase.PostUpgrade).Upgrade("1.1.0", 1, phase: MigrationPhase.PreUpgrade)
        .Upgrade("2.0.0", 1).Upgrade("2.0.0", 1, phase: MigrationPhase.DataMigration)
        .Build();

    [Fact]
    public void Install_OnEmptyDatabase_RunsEveryMigrationUpToTheTargetInVersionPhaseOrder()
    {
        var plan = Plan(Linear, States.Empty, Operation.Install, "1.1.0");

        Assert.Equal(
            ["1.0.0/upgrade/schema-changes/1", "1.0.0/upgrade/schema-changes/2", "1.1.0/upgrade/pre-upgrade/1", "1.1.0/upgrade/schema-changes/1", "1.1.0/upgrade/post-upgrade/1"],
            Keys(plan));
        Assert.All(plan.Steps, static s => Assert.Equal(MigrationDirection.Up, s.Direction));
        Assert.Null(plan.From);
    }

    [Fact]
    public void Install_RecordsTheVersionOnlyWhenItReachesTheTarget()
    {
        var plan = Plan(Linear, States.Empty, Operation.Install, "1.1.0");

        Assert.Equal([null, null, null, null, "1.1.0"], plan.Steps.Select(static s => s.VersionAfter?.ToString()));
    }

    [Fact]
    public void Upgrade_RecordsTheVersionOnTheLastStepOfEachVersion()
    {
        var plan = Plan(Linear, States.InstalledAt(Linear, "1.0.0"), Operation.Upgrade, "2.0.0");

        Assert.Equal([null, null, "1.1.0", null, "2.0.0"], plan.Steps.Select(static s => s.VersionAfter?.ToString()));
    }

    [Fact]
    public void Install_WithoutVersion_TargetsTheNewestVersion()
    {
        var plan = MigrationPlanner.Plan(Linear, States.Empty, new PlanRequest(Operation.Install));

        Assert.Equal("2.0.0", plan.Target?.ToString());
        Assert.Equal(7, plan.Steps.Count);
    }

    [Fact]
    public void Install_StartsFromTheNewestNewInstallSetAtOrBelowTheTarget_ThenUpgrades()
    {
        var catalog = new CatalogBuilder()
            .Upgrade("1.0.0", 1).Upgrade("2.0.0", 1)
            .NewInstall("2.0.0", 1, MigrationPhase.Indexes).NewInstall("2.0.0", 2).NewInstall("2.0.0", 1).NewInstall("2.0.0", 1, MigrationPhase.Data)
            .Upgrade("2.1.0", 1)
            .Build();

        var plan = Plan(catalog, States.Empty, Operation.Install, "2.1.0");

        Assert.Equal(
            ["2.0.0/new-install/schema/1", "2.0.0/new-install/schema/2", "2.0.0/new-install/data/1", "2.0.0/new-install/indexes/1", "2.1.0/upgrade/schema-changes/1"],
            Keys(plan));
    }

    [Fact]
    public void Install_BelowTheOnlyNewInstallSet_UsesUpgradeMigrations()
    {
        var catalog = new CatalogBuilder().Upgrade("1.0.0", 1).NewInstall("2.0.0", 1).Upgrade("2.0.0", 1).Build();

        var plan = Plan(catalog, States.Empty, Operation.Install, "1.0.0");

        Assert.Equal(["1.0.0/upgrade/schema-changes/1"], Keys(plan));
    }

    [Fact]
    public void Install_OnDatabaseAtTheTarget_IsNothingToDo()
    {
        var plan = Plan(Linear, States.InstalledAt(Linear, "1.1.0"), Operation.Install, "1.1.0");

        Assert.True(plan.NothingToDo);
        Assert.Empty(plan.Steps);
    }

    [Fact]
    public void Install_OnDatabaseAtAnotherVersion_IsRefusedNamingUpgrade()
    {
        var error = Refused(Linear, States.InstalledAt(Linear, "1.0.0"), Operation.Install, "1.1.0");

        Assert.Equal(FailureKind.InvalidState, error.Kind);
        Assert.Contains("already installed at 1.0.0", error.Message, StringComparison.Ordinal);
        Assert.Contains("upgrade --version 1.1.0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Install_AfterAnInterruptedInstall_ResumesWithoutRepeatingAppliedSteps()
    {
        var state = States.At(null, Linear, "1.0.0/upgrade/schema-changes/1");

        var plan = Plan(Linear, state, Operation.Install, "1.1.0");

        Assert.Equal("1.0.0/upgrade/schema-changes/2", plan.Steps[0].Migration.Key);
        Assert.Equal(4, plan.Steps.Count);
    }

    [Fact]
    public void Install_AfterAnInterruptedInstallOfAnotherSet_IsRefused()
    {
        var catalog = new CatalogBuilder().Upgrade("1.0.0", 1).NewInstall("2.0.0", 1).Upgrade("2.0.0", 1).Build();
        var state = States.At(null, catalog, "2.0.0/new-install/schema/1");

        var error = Refused(catalog, state, Operation.Install, "1.0.0");

        Assert.Equal(FailureKind.InvalidState, error.Kind);
        Assert.Contains("2.0.0/new-install/schema/1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Upgrade_RunsOnlyMigrationsAboveTheCurrentVersion()
    {
        var plan = Plan(Linear, States.InstalledAt(Linear, "1.0.0"), Operation.Upgrade, "2.0.0");

        Assert.Equal(
            ["1.1.0/upgrade/pre-upgrade/1", "1.1.0/upgrade/schema-changes/1", "1.1.0/upgrade/post-upgrade/1", "2.0.0/upgrade/schema-changes/1", "2.0.0/upgrade/data-migration/1"],
            Keys(plan));
        Assert.Equal("1.0.0", plan.From?.ToString());
    }

    [Fact]
    public void Upgrade_FromRestrictedMigration_RunsOnlyOnTheHopLeavingThatVersion()
    {
        var catalog = new CatalogBuilder()
            .Upgrade("1.0.0", 1).Upgrade("1.1.0", 1)
            .Upgrade("2.0.0", 1).Upgrade("2.0.0", 2, from: "1.1.0").Upgrade("2.0.0", 3, from: "1.0.0")
            .Build();

        var plan = Plan(catalog, States.InstalledAt(catalog, "1.0.0"), Operation.Upgrade, "2.0.0");

        Assert.Equal(["1.1.0/upgrade/schema-changes/1", "2.0.0/upgrade/schema-changes/1", "2.0.0/upgrade-from-1.1.0/schema-changes/2"], Keys(plan));
    }

    [Fact]
    public void Upgrade_OnEmptyDatabase_IsRefusedNamingInstall()
    {
        var error = Refused(Linear, States.Empty, Operation.Upgrade, "1.1.0");

        Assert.Equal(FailureKind.InvalidState, error.Kind);
        Assert.Contains("install --version 1.1.0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Upgrade_ToAVersionBelowTheCurrentOne_IsAUsageErrorNamingRollback()
    {
        var error = Refused(Linear, States.InstalledAt(Linear, "2.0.0"), Operation.Upgrade, "1.0.0");

        Assert.Equal(FailureKind.Usage, error.Kind);
        Assert.Contains("rollback --version 1.0.0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Upgrade_AtTheTarget_IsNothingToDo()
    {
        var plan = Plan(Linear, States.InstalledAt(Linear, "2.0.0"), Operation.Upgrade, "2.0.0");

        Assert.True(plan.NothingToDo);
    }

    [Fact]
    public void Upgrade_AfterAnInterruptedUpgrade_RunsOnlyWhatIsLeft()
    {
        var installed = States.InstalledAt(Linear, "1.0.0");
        var state = installed with { Applied = [.. installed.Applied, States.Applied(Linear, "1.1.0/upgrade/pre-upgrade/1", 99)] };

        var plan = Plan(Linear, state, Operation.Upgrade, "1.1.0");

        Assert.Equal(["1.1.0/upgrade/schema-changes/1", "1.1.0/upgrade/post-upgrade/1"], Keys(plan));
    }

    [Fact]
    public void Upgrade_OnDatabaseNewerThanTheRunner_IsRefused()
    {
        var state = new DatabaseState { Project = "shop", Initialized = true, CurrentVersion = "3.0.0" };

        var error = Refused(Linear, state, Operation.Upgrade, "2.0.0");

        Assert.Equal(FailureKind.InvalidState, error.Kind);
        Assert.Contains("older than the database", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownTargetVersion_IsAUsageErrorListingTheKnownVersions()
    {
        var error = Refused(Linear, States.Empty, Operation.Install, "9.9.9");

        Assert.Equal(FailureKind.Usage, error.Kind);
        Assert.Contains("Known versions: 1.0.0, 1.1.0, 2.0.0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromVersionAssertion_ThatDoesNotMatchTheDatabase_IsRefused()
    {
        var request = new PlanRequest(Operation.Upgrade, ProjectVersion.Parse("2.0.0"), ProjectVersion.Parse("1.0.0"));

        var error = Assert.Throws<StepwiseException>(() => MigrationPlanner.Plan(Linear, States.InstalledAt(Linear, "1.1.0"), request));

        Assert.Equal(FailureKind.InvalidState, error.Kind);
        Assert.Contains("--from-version says shop is at 1.0.0, but the database is at 1.1.0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromVersionAssertion_ThatMatches_Plans()
    {
        var request = new PlanRequest(Operation.Upgrade, ProjectVersion.Parse("2.0.0"), ProjectVersion.Parse("v1.1.0"));

        var plan = MigrationPlanner.Plan(Linear, States.InstalledAt(Linear, "1.1.0"), request);

        Assert.Equal(2, plan.Steps.Count);
    }

    [Fact]
    public void FailedNonTransactionalStep_BlocksUpgrade()
    {
        var state = States.InstalledAt(Linear, "1.0.0") with { Failed = [States.Applied(Linear, "1.1.0/upgrade/pre-upgrade/1", 50, transactional: false)] };

        var error = Refused(Linear, state, Operation.Upgrade, "2.0.0");

        Assert.Equal(FailureKind.InvalidState, error.Kind);
        Assert.Contains("rollback --version 1.0.0", error.Message, StringComparison.Ordinal);
        Assert.Contains("repair", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rollback_UndoesAFailedNonTransactionalStepFirst()
    {
        var installed = States.InstalledAt(Linear, "1.0.0");
        var state = installed with { Failed = [States.Applied(Linear, "1.1.0/upgrade/pre-upgrade/1", 50, transactional: false)] };

        var plan = Plan(Linear, state, Operation.Rollback, "1.0.0");

        Assert.Equal(["1.1.0/upgrade/pre-upgrade/1"], Keys(plan));
        Assert.Equal(MigrationDirection.Down, plan.Steps[0].Direction);
    }

    [Fact]
    public void Rollback_RunsDownInExactReverseOfTheOrderMigrationsWereApplied()
    {
        // Applied out of catalog order (e.g. a migration added to a version after others ran): reverse apply order wins.
        var state = States.At("1.1.0", Linear,
            "1.0.0/upgrade/schema-changes/1", "1.0.0/upgrade/schema-changes/2", "1.1.0/upgrade/schema-changes/1",
            "1.1.0/upgrade/pre-upgrade/1", "1.1.0/upgrade/post-upgrade/1");

        var plan = Plan(Linear, state, Operation.Rollback, "1.0.0");

        Assert.Equal(["1.1.0/upgrade/post-upgrade/1", "1.1.0/upgrade/pre-upgrade/1", "1.1.0/upgrade/schema-changes/1"], Keys(plan));
        Assert.All(plan.Steps, static s => Assert.Equal(MigrationDirection.Down, s.Direction));
    }

    [Fact]
    public void Rollback_AcrossSeveralVersions_RecordsTheVersionBelowWithTheFirstStepThatLeavesEach()
    {
        var plan = Plan(Linear, States.InstalledAt(Linear, "2.0.0"), Operation.Rollback, "1.0.0");

        // Once a Down of 2.0.0 ran the database is no longer at 2.0.0: a rollback stopped after that step must leave 1.1.0
        // recorded, so that an upgrade re-applies what was undone instead of finding nothing to do.
        Assert.Equal(["2.0.0", "2.0.0", "1.1.0", "1.1.0", "1.1.0"], plan.Steps.Select(static s => s.Migration.Version.ToString()));
        Assert.Equal(["1.1.0", null, "1.0.0", null, null], plan.Steps.Select(static s => s.VersionAfter?.ToString()));
    }

    [Fact]
    public void Rollback_ThroughAnIrreversibleMigration_IsRefusedBeforeAnythingRuns()
    {
        var catalog = new CatalogBuilder().Upgrade("1.0.0", 1).Upgrade("1.1.0", 1, reversible: false, name: "DropLegacyColumn").Upgrade("1.1.0", 2).Build();

        var error = Refused(catalog, States.InstalledAt(catalog, "1.1.0"), Operation.Rollback, "1.0.0");

        Assert.Equal(FailureKind.InvalidState, error.Kind);
        Assert.Contains("DropLegacyColumn", error.Message, StringComparison.Ordinal);
        Assert.Contains("irreversible: drops data", error.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was changed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rollback_OfAMigrationNoLongerInTheCode_IsRefused()
    {
        var state = States.InstalledAt(Linear, "1.1.0");
        state = state with { Applied = [.. state.Applied, new AppliedMigration("1.1.0/upgrade/schema-changes/9", "1.1.0", "Gone", "x", 100, DateTimeOffset.UnixEpoch, true)] };

        var error = Refused(Linear, state, Operation.Rollback, "1.0.0");

        Assert.Contains("Gone (1.1.0/upgrade/schema-changes/9) is applied but not in this runner's assemblies", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rollback_BelowTheNewInstallSetTheDatabaseWasInstalledWith_IsRefused()
    {
        var catalog = new CatalogBuilder().Upgrade("1.0.0", 1).NewInstall("2.0.0", 1).Upgrade("2.0.0", 1).Build();

        var error = Refused(catalog, States.InstalledAt(catalog, "2.0.0"), Operation.Rollback, "1.0.0");

        Assert.Contains("installed directly at 2.0.0 cannot go below it", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rollback_ToAVersionAboveTheCurrentOne_IsAUsageErrorNamingUpgrade()
    {
        var error = Refused(Linear, States.InstalledAt(Linear, "1.0.0"), Operation.Rollback, "2.0.0");

        Assert.Equal(FailureKind.Usage, error.Kind);
        Assert.Contains("upgrade --version 2.0.0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rollback_WithoutAVersion_IsAUsageError()
    {
        var error = Assert.Throws<StepwiseException>(() => MigrationPlanner.Plan(Linear, States.InstalledAt(Linear, "1.0.0"), new PlanRequest(Operation.Rollback)));

        Assert.Equal(FailureKind.Usage, error.Kind);
    }

    [Fact]
    public void Rollback_AtTheTarget_IsNothingToDo()
    {
        var plan = Plan(Linear, States.InstalledAt(Linear, "1.1.0"), Operation.Rollback, "1.1.0");

        Assert.True(plan.NothingToDo);
    }

    [Fact]
    public void StoredVersionThatIsNotSemver_IsRefused()
    {
        var state = new DatabaseState { Project = "shop", Initialized = true, CurrentVersion = "banana" };

        var error = Refused(Linear, state, Operation.Upgrade, "2.0.0");

        Assert.Equal(FailureKind.InvalidState, error.Kind);
        Assert.Contains("'banana'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "1.0.0", Operation.Install)]
    [InlineData("1.0.0", "2.0.0", Operation.Upgrade)]
    [InlineData("2.0.0", "2.0.0", Operation.Upgrade)]
    [InlineData("2.0.0", "1.0.0", Operation.Rollback)]
    public void InferOperation_FollowsTheStateAndTarget(string? current, string target, Operation expected)
    {
        var state = current is null ? States.Empty : States.InstalledAt(Linear, current);

        Assert.Equal(expected, MigrationPlanner.InferOperation(state, ProjectVersion.Parse(target)));
    }

    private static MigrationPlan Plan(ProjectCatalog catalog, DatabaseState state, Operation operation, string target) =>
        MigrationPlanner.Plan(catalog, state, new PlanRequest(operation, ProjectVersion.Parse(target)));

    private static StepwiseException Refused(ProjectCatalog catalog, DatabaseState state, Operation operation, string target) =>
        Assert.Throws<StepwiseException>(() => Plan(catalog, state, operation, target));

    private static string[] Keys(MigrationPlan plan) => plan.Steps.Select(static s => s.Migration.Key).ToArray();
}
