using Stepwise.Versioning;

namespace Stepwise.Catalog;

/// <summary>Everything the planner and executor know about one migration, read from its attributes without running it.</summary>
public sealed record MigrationDescriptor
{
    /// <summary>The project the migration belongs to.</summary>
    public required string Project { get; init; }

    /// <summary>The version the migration belongs to.</summary>
    public required ProjectVersion Version { get; init; }

    /// <summary>How the migration reaches its version.</summary>
    public MigrationPath Path { get; init; }

    /// <summary>For upgrade migrations restricted to one source version: that version.</summary>
    public ProjectVersion? From { get; init; }

    /// <summary>The phase, resolved (never <see cref="MigrationPhase.Default"/>).</summary>
    public required MigrationPhase Phase { get; init; }

    /// <summary>The position within the phase.</summary>
    public required int Order { get; init; }

    /// <summary>The class name, for people.</summary>
    public required string Name { get; init; }

    /// <summary>What the migration does.</summary>
    public string? Description { get; init; }

    /// <summary>
    /// The migration class; <c>null</c> only for descriptors built by hand (planner tests). A class read from a
    /// generated manifest is loaded the first time this is read.
    /// </summary>
    /// <exception cref="StepwiseException">The manifest names a class that is no migration (kind <see cref="FailureKind.Catalog"/>).</exception>
    public Type? Type
    {
        get => field ??= LoadType is { } load ? Checked(load()) : null;
        init;
    }

    /// <summary>
    /// Gives the class when <see cref="Type"/> is first read: the generated manifest's own loader, so the descriptor
    /// never calls back into the discovery that made it.
    /// </summary>
    internal Func<Type>? LoadType { get; init; }

    /// <summary>The class's full name as the manifest gives it, to name a manifest that points at something else.</summary>
    internal string? ClassName { get; init; }

    /// <summary>The context type the migration expects (e.g. <c>PostgresContext</c>); <c>null</c> for hand-built descriptors.</summary>
    public Type? ContextType
    {
        get => field ??= Type is { } type ? ContextTypeOf(type) : null;
        init;
    }

    /// <summary>SHA-256 of the migration's normalized source.</summary>
    public required string Checksum { get; init; }

    /// <summary>Whether the step runs in a transaction.</summary>
    public bool Transactional { get; init; } = true;

    /// <summary>Why the migration is not transactional, when it is not.</summary>
    public string? NonTransactionalReason { get; init; }

    /// <summary>Whether the migration has a rollback (<c>Down</c> is implemented and it is not marked irreversible).</summary>
    public bool Reversible { get; init; } = true;

    /// <summary>Why the migration has no rollback, when it has none.</summary>
    public string? IrreversibleReason { get; init; }

    /// <summary>The existing tables (or collections) the migration declares it changes (<see cref="ChangesAttribute"/>).</summary>
    public IReadOnlyList<string> Changes { get; init; } = [];

    /// <summary>Whether the migration implements <c>Validate</c> (rather than inheriting the empty one).</summary>
    public bool Validated { get; init; } = true;

    /// <summary>
    /// Whether <c>Up</c> does nothing but hand one statement of fixed text to its context, as the build saw it: no code of
    /// the migration runs before that statement, so <c>PreCheck</c>'s checks may go to the server with it.
    /// </summary>
    public bool UpSendsOneStatement { get; init; }

    /// <summary>The identity of the migration in the database's history; see <see cref="MigrationKey"/>.</summary>
    public string Key => field ??= MigrationKey.Format(Version, Path, From, Phase, Order);

    private Type Checked(Type type) =>
        MigrationClassRules.IsConcreteMigration(type) ? type : throw MigrationClassRules.Malformed([MigrationClassRules.NotAMigration(ClassName ?? type.FullName ?? type.Name)]);

    private static Type? ContextTypeOf(Type type)
    {
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (current.IsGenericType && current.GetGenericTypeDefinition() == typeof(Migration<>))
            {
                return current.GetGenericArguments()[0];
            }
        }

        return null;
    }
}
