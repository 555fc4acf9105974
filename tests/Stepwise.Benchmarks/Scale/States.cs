using Stepwise.Catalog;
using Stepwise.State;
using Stepwise.Versioning;

namespace Stepwise.Benchmarks.Scale;

/// <summary>Database states and descriptors built by hand, for the pure parts (planner, drift check).</summary>
internal static class States
{
    /// <summary>The state after installing every migration of the project: newest version, all applied in run order.</summary>
    public static DatabaseState AllApplied(ProjectCatalog catalog)
    {
        var at = DateTimeOffset.UnixEpoch;
        return new DatabaseState
        {
            Project = catalog.Name,
            Initialized = true,
            CurrentVersion = catalog.Latest?.ToString(),
            UpdatedAt = at,
            Applied = catalog.Migrations
                .Select((m, i) => new AppliedMigration(m.Key, m.Version.ToString(), m.Name, m.Checksum, i + 1, at, m.Transactional))
                .ToArray(),
        };
    }
}

/// <summary>Hand-built migration descriptors (no classes behind them), as the planner tests use.</summary>
internal static class Descriptors
{
    public static ProjectCatalog Project(string name, int migrations, int perVersion) =>
        new(name, Enumerable.Range(1, migrations).Select(i => new MigrationDescriptor
        {
            Project = name,
            Version = ProjectVersion.Parse($"1.{(i - 1) / perVersion}.0"),
            Phase = MigrationPhase.SchemaChanges,
            Order = ((i - 1) % perVersion) + 1,
            Name = $"CreateT{i:D5}",
            Checksum = Convert.ToHexStringLower(BitConverter.GetBytes((long)i)).PadLeft(64, '0'),
        }));
}
