using Stepwise.Planning;
using Stepwise.State;

namespace Stepwise.Core.Tests.Planning;

public sealed class DriftDetectorTests
{
    private static readonly Stepwise.Catalog.ProjectCatalog Catalog = new CatalogBuilder().Upgrade("1.0.0", 1).Upgrade("1.0.0", 2).Build();

    [Fact]
    public void AppliedMigrationsMatchingTheCode_HaveNoDrift()
    {
        Assert.Empty(DriftDetector.Detect(Catalog, States.InstalledAt(Catalog, "1.0.0")));
    }

    [Fact]
    public void AppliedMigrationWithAnotherChecksum_IsReportedAsChanged()
    {
        var state = States.InstalledAt(Catalog, "1.0.0");
        state = state with { Applied = [state.Applied[0] with { Checksum = "old" }, state.Applied[1]] };

        var drift = Assert.Single(DriftDetector.Detect(Catalog, state));

        Assert.Equal(DriftKind.Changed, drift.Kind);
        Assert.Equal("1.0.0/upgrade/schema-changes/1", drift.Key);
        Assert.Equal("old", drift.AppliedChecksum);
        Assert.Equal(Catalog.Migrations[0].Checksum, drift.CurrentChecksum);
    }

    [Fact]
    public void AppliedMigrationNoLongerInTheCode_IsReportedAsMissing()
    {
        var state = States.InstalledAt(Catalog, "1.0.0");
        state = state with { Applied = [.. state.Applied, new AppliedMigration("1.0.0/upgrade/schema-changes/3", "1.0.0", "Removed", "abc", 9, DateTimeOffset.UnixEpoch, true)] };

        var drift = Assert.Single(DriftDetector.Detect(Catalog, state));

        Assert.Equal(DriftKind.Missing, drift.Kind);
        Assert.Equal("Removed", drift.Name);
    }
}
