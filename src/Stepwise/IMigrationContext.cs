namespace Stepwise;

/// <summary>
/// What every engine's migration context tells a migration about the step it runs in.
/// </summary>
public interface IMigrationContext
{
    /// <summary>The project being migrated.</summary>
    string Project { get; }

    /// <summary>The environment given to the runner (e.g. <c>staging</c>), or <c>null</c> when none was given.</summary>
    string? Environment { get; }

    /// <summary>Whether the step moves the database up (apply) or down (rollback).</summary>
    MigrationDirection Direction { get; }
}
