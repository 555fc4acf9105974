using Stepwise.Catalog;
using Stepwise.State;
using Stepwise.Versioning;

namespace Stepwise.Core.Tests.Planning;

/// <summary>Hand-made catalogs and states for planner tests: no assemblies, no database.</summary>
internal sealed class CatalogBuilder
{
    private readonly List<MigrationDescriptor> _migrations = [];

    public CatalogBuilder Upgrade(string version, int order, string? from = null, MigrationPhase phase = MigrationPhase.SchemaChanges,
        bool reversible = true, bool transactional = true, string? name = null) =>
        Add(version, order, MigrationPath.Upgrade, from, phase, reversible, transactional, name);

    public CatalogBuilder NewInstall(string version, int order, MigrationPhase phase = MigrationPhase.Schema, string? name = null) =>
        Add(version, order, MigrationPath.NewInstall, null, phase, true, true, name);

    public ProjectCatalog Build() => new("shop", _migrations);

    private CatalogBuilder Add(string version, int order, MigrationPath path, string? from, MigrationPhase phase, bool reversible, bool transactional, string? name)
    {
        _migrations.Add(new MigrationDescriptor
        {
            Project = "shop",
            Version = ProjectVersion.Parse(version),
            Path = path,
            From = from is null ? null : ProjectVersion.Parse(from),
            Phase = phase,
            Order = order,
            Name = name ?? $"M_{version.Replace('.', '_')}_{(path == MigrationPath.NewInstall ? "ni" : "up")}{(from is null ? "" : "_from_" + from.Replace('.', '_'))}_{phase}_{order}",
            Checksum = $"sum-{version}-{path}-{from}-{phase}-{order}",
            Transactional = transactional,
            Reversible = reversible,
            IrreversibleReason = reversible ? null : "drops data",
        });
        return this;
    }
}

/// <summary>Database states for planner tests.</summary>
internal static class States
{
    public static DatabaseState Empty => DatabaseState.Empty("shop", initialized: true);

    /// <summary>A database where every migration of <paramref name="keys"/> is applied, in that order, at <paramref name="version"/>.</summary>
    public static DatabaseState At(string? version, ProjectCatalog catalog, params string[] keys) => new()
    {
        Project = "shop",
        Initialized = true,
        CurrentVersion = version,
        Applied = keys.Select((k, i) => Applied(catalog, k, i + 1)).ToArray(),
    };

    /// <summary>A database that applied every migration the planner would run to install <paramref name="version"/>.</summary>
    public static DatabaseState InstalledAt(ProjectCatalog catalog, string version)
    {
        var plan = Stepwise.Planning.MigrationPlanner.Plan(catalog, Empty,
            new Stepwise.Planning.PlanRequest(Stepwise.Planning.Operation.Install, ProjectVersion.Parse(version)));
        return At(version, catalog, plan.Steps.Select(static s => s.Migration.Key).ToArray());
    }

    public static AppliedMigration Applied(ProjectCatalog catalog, string key, long sequence, bool transactional = true)
    {
        var migration = catalog.Find(key) ?? throw new ArgumentException($"No migration {key} in the catalog.", nameof(key));
        return new AppliedMigration(key, migration.Version.ToString(), migration.Name, migration.Checksum, sequence, DateTimeOffset.UnixEpoch, transactional);
    }
}

/// <summary>Catalogs with a compatibility matrix of the test's own.</summary>
internal static class Matrices
{
    /// <summary>The catalog with a configuration holding <paramref name="matrix"/> (YAML lines of spec.compatibility_matrix).</summary>
    public static ProjectCatalog WithMatrix(ProjectCatalog catalog, string matrix, string? policies = null)
    {
        var indented = string.Join("\n", matrix.Split('\n').Select(static l => "    " + l));
        var yaml = $"""
            apiVersion: v1
            kind: ProjectConfig
            metadata: {"{"} name: shop {"}"}
            spec:
              migration:
                policies: {"{"} {policies ?? ""} {"}"}
              compatibility_matrix:
            {indented}
            """;
        return catalog.WithConfig(Stepwise.Configuration.ProjectConfigReader.Read(yaml, "test.yaml"));
    }
}
