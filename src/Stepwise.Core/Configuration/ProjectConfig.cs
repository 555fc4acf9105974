using Semver;

namespace Stepwise.Configuration;

/// <summary>
/// A project's <c>project-config.yaml</c>: its databases, policies, dependencies on other projects and the
/// compatibility matrix that says which versions upgrade and roll back to which.
/// </summary>
public sealed record ProjectConfig
{
    /// <summary>Where the configuration came from (a file path, or the embedded resource), for messages.</summary>
    public required string Source { get; init; }

    /// <summary><c>metadata.name</c>: must equal the project of <c>[assembly: MigrationProject]</c>.</summary>
    public required string Name { get; init; }

    /// <summary><c>metadata.description</c>.</summary>
    public string? Description { get; init; }

    /// <summary><c>spec.databases</c>, by logical name.</summary>
    public IReadOnlyDictionary<string, DatabaseConfig> Databases { get; init; } = new Dictionary<string, DatabaseConfig>();

    /// <summary><c>spec.migration.policies</c>.</summary>
    public MigrationPolicies Policies { get; init; } = new();

    /// <summary><c>spec.requires</c>: versions other projects in the same database must be at, as semver ranges.</summary>
    public IReadOnlyDictionary<string, SemVersionRange> Requires { get; init; } = new Dictionary<string, SemVersionRange>();

    /// <summary>The text of each <see cref="Requires"/> range as written, for messages.</summary>
    public IReadOnlyDictionary<string, string> RequiresText { get; init; } = new Dictionary<string, string>();

    /// <summary><c>spec.compatibility_matrix</c> as a graph; <c>null</c> when the file has none.</summary>
    public VersionGraph? Matrix { get; init; }

    /// <summary>
    /// Where keys were written, as <c>file:line:column</c>, by path (<c>metadata.name</c>, <c>spec.compatibility_matrix</c>,
    /// <c>spec.compatibility_matrix.v1.0.0</c>): messages about them point there.
    /// </summary>
    public IReadOnlyDictionary<string, string> Locations { get; init; } = new Dictionary<string, string>();

    /// <summary>Where <paramref name="path"/> was written, or the file when it was not.</summary>
    public string Where(string path) => Locations.TryGetValue(path, out var at) ? at : Source;

    /// <summary><c>spec.environments</c>: what a run in a named environment (<c>--environment</c>) insists on.</summary>
    public IReadOnlyDictionary<string, EnvironmentProfile> Environments { get; init; } = new Dictionary<string, EnvironmentProfile>();

    /// <summary>The profile of <paramref name="environment"/>; the empty profile for an environment the file does not name.</summary>
    public EnvironmentProfile ProfileOf(string? environment) =>
        environment is not null && Environments.TryGetValue(environment, out var profile) ? profile : EnvironmentProfile.None;
}

/// <summary>One entry of <c>spec.environments</c>.</summary>
/// <param name="RequireTls">The least protection a connection to the database may have in this environment.</param>
/// <param name="Source">Where it was written (file and key), for messages.</param>
public sealed record EnvironmentProfile(TlsRequirement RequireTls, string? Source = null)
{
    /// <summary>No requirement.</summary>
    public static readonly EnvironmentProfile None = new(TlsRequirement.None);
}

/// <summary>
/// How well a connection must be protected, from least to most: <c>require_tls</c> in <c>spec.environments</c>. Each
/// engine maps it onto its own settings (PostgreSQL: SSL Mode).
/// </summary>
public enum TlsRequirement
{
    /// <summary>Anything, plain text included (<c>none</c>).</summary>
    None,

    /// <summary>Encrypted, whoever the server is (<c>require</c>).</summary>
    Encrypted,

    /// <summary>Encrypted, with a certificate signed by a trusted authority (<c>verify-ca</c>).</summary>
    VerifyAuthority,

    /// <summary>Encrypted, with a trusted certificate issued for the host connected to (<c>verify-full</c>).</summary>
    VerifyFull,
}

/// <summary>One entry of <c>spec.databases</c>.</summary>
/// <param name="Type">The engine: <c>postgresql</c> or <c>mongodb</c>.</param>
/// <param name="Name">The database name.</param>
/// <param name="Schemas">The schemas the project owns.</param>
public sealed record DatabaseConfig(string Type, string? Name, IReadOnlyList<string> Schemas);

/// <summary><c>spec.migration.policies</c>: what the runner insists on, in addition to the build-time rules.</summary>
public sealed record MigrationPolicies
{
    /// <summary>Every migration must have a rollback: irreversible migrations are refused. Off unless the file sets it.</summary>
    public bool RequireRollback { get; init; } = Rules.SharedRules.DefaultRequireRollback;

    /// <summary>Every migration must implement <c>Validate</c>. On unless the file turns it off, as the build-time rule SW1003 is.</summary>
    public bool RequireValidation { get; init; } = Rules.SharedRules.DefaultRequireValidation;

    /// <summary>Rehearse the transactional part of an upgrade in a transaction that is rolled back, before running it.</summary>
    public bool DryRunFirst { get; init; }

    /// <summary>Copy the tables or collections a step declares it changes before the step (a backup schema on PostgreSQL, <c>$out</c> collections on MongoDB).</summary>
    public bool BackupBeforeUpgrade { get; init; }

    /// <summary>
    /// How long a step's statement may wait for a lock (<c>lock_timeout</c>); <c>null</c> for no bound. A transactional
    /// step that times out is rolled back and run again, a bounded number of times.
    /// </summary>
    public TimeSpan? LockTimeout { get; init; }
}
