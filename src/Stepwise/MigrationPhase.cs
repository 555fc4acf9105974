namespace Stepwise;

/// <summary>
/// The phase a migration runs in. Phases run in declaration order within their path; within a phase,
/// <see cref="MigrationAttribute.Order"/> decides.
/// </summary>
public enum MigrationPhase
{
    /// <summary><see cref="SchemaChanges"/> for upgrade migrations, <see cref="Schema"/> for new-install migrations.</summary>
    Default = 0,

    /// <summary>New install: create tables, types and constraints.</summary>
    Schema = 1,

    /// <summary>New install: seed reference data.</summary>
    Data = 2,

    /// <summary>New install: create indexes once the data is in.</summary>
    Indexes = 3,

    /// <summary>Upgrade: checks and preparations before the schema changes.</summary>
    PreUpgrade = 10,

    /// <summary>Upgrade: incremental schema changes.</summary>
    SchemaChanges = 11,

    /// <summary>Upgrade: data transformations.</summary>
    DataMigration = 12,

    /// <summary>Upgrade: cleanup once schema and data are in place.</summary>
    PostUpgrade = 13,
}
