using Stepwise.Catalog;
using Stepwise.Versioning;

namespace Stepwise.Verification;

/// <summary>A way through the project's versions that a rollback check walks, on a database of its own.</summary>
/// <param name="Name">What the route is, for the report (e.g. <c>upgrades 1.0.0 -> 1.1.0 -> 2.0.0</c>).</param>
/// <param name="Steps">The migrations applied along it, in order.</param>
/// <param name="Verify">The keys whose rollback this route checks; the others are only applied to reach them.</param>
internal sealed record RollbackRoute(string Name, IReadOnlyList<MigrationDescriptor> Steps, IReadOnlySet<string> Verify);

/// <summary>
/// The routes that, together, put every migration at or below a version through its rollback once: the upgrade route
/// from the first version, each new-install set, and each hop that has migrations restricted to it (<c>From</c>).
/// A pure function of the catalog, like the planner.
/// </summary>
internal static class RollbackRoutes
{
    /// <summary>The routes, each with the migrations it is the first to check.</summary>
    public static IReadOnlyList<RollbackRoute> For(ProjectCatalog catalog, ProjectVersion target)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(target);

        var graph = catalog.Graph;
        var routes = new List<RollbackRoute>();
        var covered = new HashSet<string>(StringComparer.Ordinal);
        var first = graph.Versions[0];

        // The upgrade migrations, from an empty database through every hop of the shortest upgrade path.
        if (graph.UpgradePath(first, target) is { } path)
        {
            Add($"upgrades {string.Join(" -> ", path)}", Upgrades(catalog, path));
        }

        // Each new-install set builds a version from nothing: its migrations' rollbacks take the database back to empty.
        foreach (var version in catalog.Versions.Where(v => v <= target))
        {
            var set = catalog.OfVersion(version).Where(static m => m.Path == MigrationPath.NewInstall).ToList();
            if (set.Count > 0)
            {
                Add($"new-install set of {version}", set);
            }
        }

        // Versions the shortest route skips, and migrations restricted to a hop it does not take: reach the version (or
        // the hop's start), then take the hop.
        foreach (var migration in catalog.Migrations.Where(m => m.Path == MigrationPath.Upgrade && m.Version <= target).OrderBy(static m => m.Version))
        {
            if (covered.Contains(migration.Key))
            {
                continue;
            }

            if (migration.From is null && graph.UpgradePath(first, migration.Version) is { } toVersion)
            {
                Add($"upgrades {string.Join(" -> ", toVersion)}", Upgrades(catalog, toVersion));
            }
            else if (migration.From is { } from && graph.UpgradePath(first, from) is { } toStart)
            {
                Add($"upgrades {string.Join(" -> ", toStart)} -> {migration.Version}", [.. Upgrades(catalog, toStart), .. Hop(catalog, from, migration.Version)]);
            }
        }

        return routes;

        void Add(string name, List<MigrationDescriptor> steps)
        {
            var verify = steps.Select(static m => m.Key).Where(covered.Add).ToHashSet(StringComparer.Ordinal);
            if (verify.Count > 0)
            {
                routes.Add(new RollbackRoute(name, steps, verify));
            }
        }
    }

    // The first version's own upgrade migrations build it from nothing; each hop then adds the next version's.
    private static List<MigrationDescriptor> Upgrades(ProjectCatalog catalog, IReadOnlyList<ProjectVersion> path)
    {
        var steps = catalog.OfVersion(path[0]).Where(static m => m.Path == MigrationPath.Upgrade && m.From is null).ToList();
        for (var i = 1; i < path.Count; i++)
        {
            steps.AddRange(Hop(catalog, path[i - 1], path[i]));
        }

        return steps;
    }

    private static IEnumerable<MigrationDescriptor> Hop(ProjectCatalog catalog, ProjectVersion from, ProjectVersion to) =>
        catalog.OfVersion(to).Where(m => m.Path == MigrationPath.Upgrade && (m.From is null || m.From == from));
}
