using Stepwise.Versioning;

namespace Stepwise.Configuration;

/// <summary>
/// Which versions upgrade to which, and which roll back to which: the compatibility matrix of a project, or, for a
/// project without one, the versions its migrations declare in semver order (each upgrades to the next and may roll
/// back to any lower one).
/// </summary>
public sealed class VersionGraph
{
    private readonly Dictionary<ProjectVersion, ProjectVersion[]> _upgrades;
    private readonly Dictionary<ProjectVersion, ProjectVersion[]> _rollbacks;

    /// <summary>Creates a graph from its edges. Targets of each version are kept in ascending order.</summary>
    public VersionGraph(
        IEnumerable<ProjectVersion> versions,
        IReadOnlyDictionary<ProjectVersion, IReadOnlyList<ProjectVersion>> upgradesTo,
        IReadOnlyDictionary<ProjectVersion, IReadOnlyList<ProjectVersion>> rollbackTo,
        bool isExplicit)
    {
        ArgumentNullException.ThrowIfNull(versions);
        ArgumentNullException.ThrowIfNull(upgradesTo);
        ArgumentNullException.ThrowIfNull(rollbackTo);
        Versions = versions.Distinct().Order().ToArray();
        _upgrades = Versions.ToDictionary(static v => v, v => upgradesTo.GetValueOrDefault(v)?.Distinct().Order().ToArray() ?? []);
        _rollbacks = Versions.ToDictionary(static v => v, v => rollbackTo.GetValueOrDefault(v)?.Distinct().Order().ToArray() ?? []);
        IsExplicit = isExplicit;
    }

    /// <summary>Every version of the graph, ascending.</summary>
    public IReadOnlyList<ProjectVersion> Versions { get; }

    /// <summary>Whether the graph comes from a compatibility matrix (rather than the migrations' versions).</summary>
    public bool IsExplicit { get; }

    /// <summary>The graph of a project without a matrix: each version upgrades to the next and rolls back to any lower one.</summary>
    public static VersionGraph Linear(IEnumerable<ProjectVersion> versions)
    {
        var ordered = versions.Distinct().Order().ToArray();
        var upgrades = new Dictionary<ProjectVersion, IReadOnlyList<ProjectVersion>>();
        var rollbacks = new Dictionary<ProjectVersion, IReadOnlyList<ProjectVersion>>();
        for (var i = 0; i < ordered.Length; i++)
        {
            upgrades[ordered[i]] = i + 1 < ordered.Length ? [ordered[i + 1]] : [];
            rollbacks[ordered[i]] = ordered[..i];
        }

        return new VersionGraph(ordered, upgrades, rollbacks, isExplicit: false);
    }

    /// <summary>The versions a version upgrades to directly.</summary>
    public IReadOnlyList<ProjectVersion> UpgradesTo(ProjectVersion version) => _upgrades.GetValueOrDefault(version) ?? [];

    /// <summary>The versions a version rolls back to directly.</summary>
    public IReadOnlyList<ProjectVersion> RollbackTo(ProjectVersion version) => _rollbacks.GetValueOrDefault(version) ?? [];

    /// <summary>Whether the version is part of the graph.</summary>
    public bool Contains(ProjectVersion version) => _upgrades.ContainsKey(version);

    /// <summary>
    /// The upgrade path from <paramref name="from"/> to <paramref name="to"/>, both included: fewest hops, and among
    /// equally short paths the one through lower versions. <c>null</c> when <paramref name="to"/> cannot be reached.
    /// </summary>
    public IReadOnlyList<ProjectVersion>? UpgradePath(ProjectVersion from, ProjectVersion to) => ShortestPath(from, to, _upgrades);

    /// <summary>The rollback path from <paramref name="from"/> down to <paramref name="to"/>, both included, or <c>null</c>.</summary>
    public IReadOnlyList<ProjectVersion>? RollbackPath(ProjectVersion from, ProjectVersion to) => ShortestPath(from, to, _rollbacks);

    /// <summary>Every version reachable from <paramref name="from"/> by upgrades, ascending.</summary>
    public IReadOnlyList<ProjectVersion> UpgradeTargets(ProjectVersion from) => Reachable(from, _upgrades);

    /// <summary>Every version reachable from <paramref name="from"/> by rollbacks, ascending.</summary>
    public IReadOnlyList<ProjectVersion> RollbackTargets(ProjectVersion from) => Reachable(from, _rollbacks);

    private static List<ProjectVersion>? ShortestPath(ProjectVersion from, ProjectVersion to, Dictionary<ProjectVersion, ProjectVersion[]> edges)
    {
        if (!edges.ContainsKey(from) || !edges.ContainsKey(to))
        {
            return null;
        }

        // Breadth-first with ascending neighbours: the first path found is the shortest, and the lowest among equals.
        var previous = new Dictionary<ProjectVersion, ProjectVersion?> { [from] = null };
        var queue = new Queue<ProjectVersion>([from]);
        while (queue.Count > 0)
        {
            var current = queue.Dequeue();
            if (current == to)
            {
                var path = new List<ProjectVersion>();
                for (ProjectVersion? step = to; step is not null; step = previous[step])
                {
                    path.Add(step);
                }

                path.Reverse();
                return path;
            }

            foreach (var next in edges[current])
            {
                if (previous.TryAdd(next, current))
                {
                    queue.Enqueue(next);
                }
            }
        }

        return null;
    }

    private static List<ProjectVersion> Reachable(ProjectVersion from, Dictionary<ProjectVersion, ProjectVersion[]> edges)
    {
        var seen = new HashSet<ProjectVersion>();
        var queue = new Queue<ProjectVersion>(edges.GetValueOrDefault(from) ?? []);
        while (queue.Count > 0)
        {
            var current = queue.Dequeue();
            if (seen.Add(current))
            {
                foreach (var next in edges.GetValueOrDefault(current) ?? [])
                {
                    queue.Enqueue(next);
                }
            }
        }

        return seen.Order().ToList();
    }
}
