namespace Stepwise;

/// <summary>
/// Declares a class as a migration of the assembly's project, at a version and a position within it.
/// </summary>
/// <remarks>
/// (version, path, from-version, phase, order) identifies the migration in the database's history, so it must be
/// unique within the project and must not change once applied. The class name is only a label.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class MigrationAttribute : Attribute
{
    /// <summary>Declares a migration.</summary>
    /// <param name="version">The semantic version the migration belongs to, e.g. <c>1.1.0</c> or <c>v1.1.0</c>.</param>
    /// <param name="order">The position within the version's phase, starting at 1.</param>
    public MigrationAttribute(string version, int order)
    {
        Version = version;
        Order = order;
    }

    /// <summary>The semantic version the migration belongs to.</summary>
    public string Version { get; }

    /// <summary>The position within the phase, starting at 1.</summary>
    public int Order { get; }

    /// <summary>What the migration does, for plans and history.</summary>
    public string? Description { get; set; }

    /// <summary>Whether the migration upgrades from a previous version (default) or builds the version on an empty database.</summary>
    public MigrationPath Path { get; set; }

    /// <summary>
    /// For upgrade migrations: run only when upgrading from this version. Unset means from any previous version.
    /// </summary>
    public string? From { get; set; }

    /// <summary>The phase the migration runs in.</summary>
    public MigrationPhase Phase { get; set; }
}
