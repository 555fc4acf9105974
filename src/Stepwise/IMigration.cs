using System.ComponentModel;

namespace Stepwise;

/// <summary>
/// The engine-neutral face of a migration, through which the runner calls it. Migrations derive from an engine's
/// base class (such as <c>PostgresMigration</c>) instead of implementing this directly.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public interface IMigration
{
    /// <summary>The context type the migration expects; the engine must provide it.</summary>
    Type ContextType { get; }

    /// <summary>Checks that the database is in the state the migration starts from.</summary>
    Task PreCheckAsync(IMigrationContext context, CancellationToken cancellationToken);

    /// <summary>Applies the migration.</summary>
    Task UpAsync(IMigrationContext context, CancellationToken cancellationToken);

    /// <summary>Reverts the migration.</summary>
    Task DownAsync(IMigrationContext context, CancellationToken cancellationToken);

    /// <summary>Checks that the migration did what it promised.</summary>
    Task ValidateAsync(IMigrationContext context, CancellationToken cancellationToken);
}
