using Stepwise.Configuration;
using Stepwise.Versioning;

namespace Stepwise.Catalog;

/// <summary>The migrations of one project, in run order: version, path (new-install first), phase, order.</summary>
public sealed class ProjectCatalog
{
    private readonly Dictionary<string, MigrationDescriptor> _byKey;
    private readonly HashSet<ProjectVersion> _versions;
    private readonly ILookup<ProjectVersion, MigrationDescriptor> _byVersion;

    /// <summary>Creates a catalog from descriptors; they are sorted, and keys must be unique.</summary>
    /// <param name="name">The project.</param>
    /// <param name="migrations">Its migrations.</param>
    /// <param name="config">Its configuration, already checked against the migrations; <c>null</c> when it has none.</param>
    public ProjectCatalog(string name, IEnumerable<MigrationDescriptor> migrations, ProjectConfig? config = null)
    {
        Name = name;
        Migrations = migrations.OrderBy(static m => m, RunOrder.Instance).ToArray();
        _byKey = Migrations.ToDictionary(static m => m.Key, StringComparer.Ordinal);
        Versions = Migrations.Select(static m => m.Version).Distinct().Order().ToArray();
        _versions = Versions.ToHashSet();
        _byVersion = Migrations.ToLookup(static m => m.Version);
        Config = config;
        Graph = config?.Matrix ?? VersionGraph.Linear(Versions);
    }

    /// <summary>The project's configuration, when it has one.</summary>
    public ProjectConfig? Config { get; }

    /// <summary>Which versions upgrade and roll back to which: the compatibility matrix, or the versions in semver order.</summary>
    public VersionGraph Graph { get; }

    /// <summary>Policies in force: the configuration's, or none.</summary>
    public MigrationPolicies Policies => Config?.Policies ?? new MigrationPolicies();

    /// <summary>The same migrations with a configuration, after checking that the two agree.</summary>
    /// <exception cref="StepwiseException">The configuration does not match the migrations (kind <see cref="FailureKind.Usage"/>).</exception>
    public ProjectCatalog WithConfig(ProjectConfig config)
    {
        ProjectConfigValidator.Check(config, this);
        return new ProjectCatalog(Name, Migrations, config);
    }

    /// <summary>The project name.</summary>
    public string Name { get; }

    /// <summary>Every migration, in run order.</summary>
    public IReadOnlyList<MigrationDescriptor> Migrations { get; }

    /// <summary>Every version that has a migration, ascending.</summary>
    public IReadOnlyList<ProjectVersion> Versions { get; }

    /// <summary>The newest version.</summary>
    public ProjectVersion? Latest => Versions.Count == 0 ? null : Versions[^1];

    /// <summary>Finds a migration by its history key.</summary>
    public MigrationDescriptor? Find(string key) => _byKey.GetValueOrDefault(key);

    /// <summary>Whether any migration belongs to <paramref name="version"/>.</summary>
    public bool Knows(ProjectVersion version) => _versions.Contains(version);

    /// <summary>The migrations of one version, in run order.</summary>
    public IEnumerable<MigrationDescriptor> OfVersion(ProjectVersion version) => _byVersion[version];

    /// <summary>Orders migrations as they run forward.</summary>
    public sealed class RunOrder : IComparer<MigrationDescriptor>
    {
        /// <summary>The one instance.</summary>
        public static readonly RunOrder Instance = new();

        /// <inheritdoc />
        public int Compare(MigrationDescriptor? x, MigrationDescriptor? y)
        {
            if (ReferenceEquals(x, y))
            {
                return 0;
            }

            if (x is null || y is null)
            {
                return x is null ? -1 : 1;
            }

            var byVersion = x.Version.CompareTo(y.Version);
            if (byVersion != 0)
            {
                return byVersion;
            }

            // New-install migrations of a version (phases 1-3) sort before its upgrade migrations (phases 10+).
            var byPhase = x.Phase.CompareTo(y.Phase);
            if (byPhase != 0)
            {
                return byPhase;
            }

            var byOrder = x.Order.CompareTo(y.Order);
            return byOrder != 0 ? byOrder : string.CompareOrdinal(x.Key, y.Key);
        }
    }
}
