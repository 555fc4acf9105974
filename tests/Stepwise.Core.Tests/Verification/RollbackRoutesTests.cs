using Stepwise.Core.Tests.Planning;
using Stepwise.Verification;
using Stepwise.Versioning;

namespace Stepwise.Core.Tests.Verification;

public sealed class RollbackRoutesTests
{
    [Fact]
    public void InADiamond_EveryMigrationIsCheckedOnceOnARouteThatReachesIt()
    {
        var routes = RollbackRoutes.For(GraphPlannerTests.Diamond, ProjectVersion.Parse("3.0.0"));

        Assert.Equal(
            [
                "upgrades 1.0.0 -> 1.1.0 -> 2.0.0 -> 3.0.0",
                "new-install set of 3.0.0",
                "upgrades 1.0.0 -> 1.2.0",
                "upgrades 1.0.0 -> 1.2.0 -> 2.0.0",
            ],
            routes.Select(static r => r.Name));
        var checkedKeys = routes.SelectMany(static r => r.Verify).ToList();
        Assert.Equal(checkedKeys.Count, checkedKeys.Distinct().Count());
        Assert.Equal(GraphPlannerTests.Diamond.Migrations.Select(static m => m.Key).Order(), checkedKeys.Order());
    }

    [Fact]
    public void ARouteToAHopFromTheOtherSide_AppliesWhatLeadsThereButChecksOnlyTheHopsRestrictedMigration()
    {
        var routes = RollbackRoutes.For(GraphPlannerTests.Diamond, ProjectVersion.Parse("3.0.0"));

        var hop = routes.Single(static r => r.Name == "upgrades 1.0.0 -> 1.2.0 -> 2.0.0");
        Assert.Equal(["1.0.0/upgrade/schema-changes/1", "1.2.0/upgrade/schema-changes/1", "2.0.0/upgrade/schema-changes/1", "2.0.0/upgrade-from-1.2.0/schema-changes/3"],
            hop.Steps.Select(static m => m.Key));
        Assert.Equal(["2.0.0/upgrade-from-1.2.0/schema-changes/3"], hop.Verify);
    }

    [Fact]
    public void UpToALowerVersion_ChecksEveryVersionAtOrBelowIt_AndNothingAbove()
    {
        var routes = RollbackRoutes.For(GraphPlannerTests.Diamond, ProjectVersion.Parse("1.2.0"));

        Assert.Equal(["1.0.0/upgrade/schema-changes/1", "1.1.0/upgrade/schema-changes/1", "1.2.0/upgrade/schema-changes/1"],
            routes.SelectMany(static r => r.Verify).Order());
    }
}

public sealed class SchemaSnapshotTests
{
    [Fact]
    public void Compare_NamesWhatWasLostAndWhatWasGained()
    {
        var before = new SchemaSnapshot(["column t.a int", "table t"]);
        var after = new SchemaSnapshot(["column t.b int", "table t"]);

        var difference = before.Compare(after);

        Assert.Equal(["column t.a int"], difference.Lost);
        Assert.Equal(["column t.b int"], difference.Gained);
        Assert.False(difference.IsEmpty);
    }

    [Fact]
    public void Compare_FallsBackToTheSecondReadingOnlyWhenTheFactsAgree()
    {
        var before = new SchemaSnapshot(["table t"], ["pg_dump: CREATE TABLE t (a int);"]);
        var after = new SchemaSnapshot(["table t"], ["pg_dump: CREATE TABLE t (a int) WITH (fillfactor='70');"]);
        var noDump = new SchemaSnapshot(["table t"]);

        Assert.Equal(["pg_dump: CREATE TABLE t (a int) WITH (fillfactor='70');"], before.Compare(after).Gained);
        Assert.True(before.Compare(noDump).IsEmpty);
    }
}
