namespace Stepwise;

/// <summary>How a migration reaches its version.</summary>
public enum MigrationPath
{
    /// <summary>Moves an existing database from a previous version to this one (the default).</summary>
    Upgrade = 0,

    /// <summary>Builds this version's schema directly on an empty database.</summary>
    NewInstall = 1,
}
