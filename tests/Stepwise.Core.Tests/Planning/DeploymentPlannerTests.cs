using Stepwise.Catalog;
using Stepwise.Planning;
using Stepwise.State;
using Stepwise.Versioning;

namespace Stepwise.Core.Tests.Planning;

/// <summary>Migrate (install or upgrade), and a target's post-upgrade phase deferred to the post-deployment run.</summary>
public sealed class DeploymentPlannerTests
{
    // 1.1.0 has a post-upgrade cleanup; 2.0.0 has one too, and a new-install set.
    private static readonly ProjectCatalog Shop = new CatalogBuilder()
        .Upgrade("1.0.0", 1)
        .Upgrade("1.1.0", 1).Upgrade("1.1.0", 1, phase: MigrationPhase.PostUpgrade)
        .Upgrade("2.0.0", 1).Upgrade("2.0.0", 1, phase: MigrationPhase.PostUpgrade).NewInstall("2.0.0", 1)
        .Build();

    [Fact]
    public void Migrate_OnAnEmptyDatabase_IsAnInstall_AndOnAnInstalledOne_AnUpgrade()
    {
        Assert.Equal(Operation.Install, Plan(States.Empty, "1.1.0").Operation);
        Assert.Equal(Operation.Upgrade, Plan(States.InstalledAt(Shop, "1.0.0"), "1.1.0").Operation);
    }

    [Fact]
    public void Migrate_AfterAnInstallStoppedPartWay_ResumesTheInstall()
    {
        var state = States.At(null, Shop, "1.0.0/upgrade/schema-changes/1");

        var plan = Plan(state, "1.1.0");

        Assert.Equal(Operation.Install, plan.Operation);
        Assert.Equal(["1.1.0/upgrade/schema-changes/1", "1.1.0/upgrade/post-upgrade/1"], Keys(plan));
    }

    [Fact]
    public void Migrate_BelowTheDatabasesVersion_IsRefused()
    {
        var error = Assert.Throws<StepwiseException>(() => Plan(States.InstalledAt(Shop, "1.1.0"), "1.0.0"));

        Assert.Equal(FailureKind.InvalidState, error.Kind);
        Assert.Contains("migrate never goes down", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DeferringPostUpgrade_LeavesOnlyTheTargetsCleanup_AndRecordsTheTargetWithTheStepBefore()
    {
        var plan = Plan(States.InstalledAt(Shop, "1.0.0"), "2.0.0", defer: true);

        // 1.1.0's cleanup still runs: only the target's waits for the new release.
        Assert.Equal(["1.1.0/upgrade/schema-changes/1", "1.1.0/upgrade/post-upgrade/1", "2.0.0/upgrade/schema-changes/1"], Keys(plan));
        Assert.Equal([null, "1.1.0", "2.0.0"], plan.Steps.Select(static s => s.VersionAfter?.ToString()));
    }

    [Fact]
    public void AtTheTarget_ThePendingCleanupRuns_ThenNothingIsLeft()
    {
        var deferred = States.At("2.0.0", Shop, "1.0.0/upgrade/schema-changes/1", "1.1.0/upgrade/schema-changes/1", "1.1.0/upgrade/post-upgrade/1",
            "2.0.0/upgrade/schema-changes/1");

        var plan = Plan(deferred, "2.0.0");
        var done = Plan(deferred with { Applied = [.. deferred.Applied, Applied("2.0.0/upgrade/post-upgrade/1")] }, "2.0.0");

        Assert.Equal(["2.0.0/upgrade/post-upgrade/1"], Keys(plan));
        Assert.False(plan.NothingToDo);
        Assert.True(done.NothingToDo);
    }

    [Fact]
    public void AtTheTarget_InstalledByItsNewInstallSet_NoUpgradeCleanupIsPending()
    {
        var plan = Plan(States.At("2.0.0", Shop, "2.0.0/new-install/schema/1"), "2.0.0");

        Assert.True(plan.NothingToDo);
    }

    private static MigrationPlan Plan(DatabaseState state, string target, bool defer = false) =>
        MigrationPlanner.Plan(Shop, state, new PlanRequest(Operation.Migrate, ProjectVersion.Parse(target)) { DeferPostUpgrade = defer });

    private static AppliedMigration Applied(string key) =>
        new(key, key.Split('/')[0], key, Shop.Find(key)!.Checksum, 100, DateTimeOffset.UnixEpoch, true);

    private static string[] Keys(MigrationPlan plan) => plan.Steps.Select(static s => s.Migration.Key).ToArray();
}
