using Stepwise.Catalog;
using Stepwise.Versioning;

namespace Stepwise.Core.Tests.Catalog;

public sealed class MigrationKeyTests
{
    [Fact]
    public void Key_IsBuiltFromTheAttributeNotTheClassName()
    {
        Assert.Equal("1.1.0/upgrade/schema-changes/1",
            MigrationKey.Format(ProjectVersion.Parse("v1.1.0"), MigrationPath.Upgrade, null, MigrationPhase.SchemaChanges, 1));
        Assert.Equal("2.0.0/upgrade-from-1.1.0/data-migration/2",
            MigrationKey.Format(ProjectVersion.Parse("2.0.0"), MigrationPath.Upgrade, ProjectVersion.Parse("1.1.0"), MigrationPhase.DataMigration, 2));
        Assert.Equal("2.0.0/new-install/indexes/3",
            MigrationKey.Format(ProjectVersion.Parse("2.0.0"), MigrationPath.NewInstall, null, MigrationPhase.Indexes, 3));
    }
}
