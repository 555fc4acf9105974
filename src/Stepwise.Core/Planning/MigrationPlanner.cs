using Stepwise.Catalog;
using Stepwise.Configuration;
using Stepwise.State;
using Stepwise.Versioning;

namespace Stepwise.Planning;

/// <summary>
/// Computes the steps from the database's state to the requested version. A pure function of
/// (catalog with its configuration, state, request): no I/O, so every rule here is unit-tested without a database.
/// </summary>
/// <remarks>
/// Versions connect through the project's <see cref="VersionGraph"/>: the compatibility matrix when the project has
/// one, else its versions in semver order. An upgrade takes the shortest path of <c>upgrades_to</c> hops and runs, per
/// hop, the target version's upgrade migrations (those restricted with <c>From</c> only on the hop leaving that
/// version), phase by phase. A fresh install starts from the newest new-install set at or below the target (or from
/// the first version's upgrade migrations) and then upgrades hop by hop. A rollback follows <c>rollback_to</c> hops and
/// undoes applied migrations in exact reverse order. What the database records as applied is never run again, so an
/// interrupted run resumes where it stopped.
/// </remarks>
public static partial class MigrationPlanner
{
    /// <summary>Plans a run, or refuses it with a <see cref="StepwiseException"/> that says why and what to do.</summary>
    public static MigrationPlan Plan(ProjectCatalog catalog, DatabaseState state, PlanRequest request)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(request);

        var current = StoredVersion(state);

        // A rollback without --version undoes what an unfinished run left above the recorded version (all of it for an
        // install stopped part-way): the one target that needs the state to be known.
        var target = request.Operation == Operation.Rollback && request.Target is null
            ? UnfinishedRollbackTarget(catalog, state, current)
            : ResolveTarget(catalog, request);

        if (request.ExpectedCurrent is { } expected && expected != current)
        {
            throw Refuse($"--from-version says {catalog.Name} is at {expected}, but the database is at {Describe(current)}. " +
                "Nothing was changed; check which version is deployed, or drop --from-version.");
        }

        if (state.HasUnfinishedSteps && request.Operation != Operation.Rollback)
        {
            throw Refuse(Unfinished(state, current));
        }

        var plan = request.Operation switch
        {
            Operation.Install => PlanInstall(catalog, state, current, target!),
            Operation.Upgrade => PlanUpgrade(catalog, state, current, target!),
            Operation.Migrate when current is null => PlanInstall(catalog, state, current, target!),
            Operation.Migrate when target! < current => throw Refuse(
                $"{catalog.Name} is at {current}, above {target}; migrate never goes down. Roll back on purpose with 'rollback --version {target}', " +
                "run by the runner of the newer release (it has the Down the older one lacks)."),
            Operation.Migrate => PlanUpgrade(catalog, state, current, target!),
            Operation.Rollback => PlanRollback(catalog, state, current, target),
            _ => throw new ArgumentOutOfRangeException(nameof(request), request.Operation, "Unknown operation."),
        };
        if (request.DeferPostUpgrade)
        {
            plan = WithoutPostUpgrade(plan);
        }

        EnforcePolicies(catalog, plan);
        return plan;
    }

    // The target's post-upgrade steps go to a later run; the target is then recorded by the last step that remains of it
    // (or, when none remains, at the end of the run).
    private static MigrationPlan WithoutPostUpgrade(MigrationPlan plan)
    {
        var steps = plan.Steps
            .Where(s => !(s.Migration.Version == plan.Target && s.Migration.Path == MigrationPath.Upgrade && s.Migration.Phase == MigrationPhase.PostUpgrade))
            .ToList();
        if (steps.Count == plan.Steps.Count)
        {
            return plan;
        }

        var last = steps.FindLastIndex(s => s.Migration.Version == plan.Target);
        if (last >= 0)
        {
            steps[last] = steps[last] with { VersionAfter = plan.Target };
        }

        return plan with { Steps = steps };
    }

    /// <summary>
    /// Checks what can be checked without the database (the target is given when needed and is a known version), so that
    /// bad input is refused before connecting.
    /// </summary>
    public static void CheckRequest(ProjectCatalog catalog, PlanRequest request)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(request);
        if (request.Operation != Operation.Rollback || request.Target is not null)
        {
            ResolveTarget(catalog, request);
        }
    }

    /// <summary>The operation that moves the database to <paramref name="target"/>: install when nothing is installed, else upgrade or rollback.</summary>
    public static Operation InferOperation(DatabaseState state, ProjectVersion target)
    {
        var current = StoredVersion(state);
        return current is null ? Operation.Install : target < current ? Operation.Rollback : Operation.Upgrade;
    }

    /// <summary>The version the database records for the project; refuses a version that is not semver.</summary>
    public static ProjectVersion? StoredVersion(DatabaseState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.CurrentVersion is null)
        {
            return null;
        }

        return ProjectVersion.TryParse(state.CurrentVersion, out var version, out var error)
            ? version
            : throw Refuse($"The database records version '{state.CurrentVersion}' for {state.Project}, which is not usable: {error}.");
    }

    private static string Unfinished(DatabaseState state, ProjectVersion? current)
    {
        var undo = current is null ? "'rollback' (undoes the install stopped part-way)" : $"'rollback' (runs its Down; the same as 'rollback --version {current}')";
        if (state.Interrupted.Count > 0)
        {
            var (migration, direction) = state.Interrupted[^1];
            return $"{migration.Name} ({migration.Key}) was interrupted: its runner stopped during its {(direction == MigrationDirection.Up ? "Up" : "Down")}, " +
                "outside a transaction. The next install, upgrade or repair under the project's lock checks it: it runs again if it had changed nothing, " +
                $"and is recorded if it had finished. If it stopped half-way, undo it with {undo}.";
        }

        var failed = state.Failed[^1];
        return $"Migration {failed.Name} ({failed.Key}) failed outside a transaction and may have left partial changes. " +
            $"Undo it with {undo}, or fix the database by hand and run 'repair' (it checks the migration's PreCheck and Validate).";
    }

    private static ProjectVersion ResolveTarget(ProjectCatalog catalog, PlanRequest request)
    {
        var target = request.Target ?? (request.Operation == Operation.Rollback
            ? throw new StepwiseException(FailureKind.Usage, "rollback needs --version: the version to roll back to.")
            : catalog.Latest ?? throw new StepwiseException(FailureKind.Usage, $"Project {catalog.Name} has no migrations."));

        return catalog.Knows(target)
            ? target
            : throw new StepwiseException(FailureKind.Usage,
                $"Unknown version {target} for project {catalog.Name}. Known versions: {string.Join(", ", catalog.Versions)}.");
    }

    private static MigrationPlan PlanInstall(ProjectCatalog catalog, DatabaseState state, ProjectVersion? current, ProjectVersion target)
    {
        if (current is not null)
        {
            if (current == target)
            {
                return new MigrationPlan(Operation.Install, catalog.Name, current, target, PendingPostUpgrade(catalog, state, current), [current]);
            }

            var hint = target > current ? "upgrade" : "rollback";
            throw Refuse($"{catalog.Name} is already installed at {current}; install only brings an empty database to a version. " +
                $"Use '{hint} --version {target}'.");
        }

        var (route, chain) = InstallChain(catalog, target);
        var chainKeys = chain.Select(static m => m.Key).ToHashSet(StringComparer.Ordinal);
        var stray = state.Applied.Where(a => !chainKeys.Contains(a.Key)).ToArray();
        if (stray.Length > 0)
        {
            throw Refuse($"An earlier install of {catalog.Name} stopped part-way after applying {string.Join(", ", stray.Select(static a => a.Key))}, " +
                $"which installing {target} would not run. Install the version that install was started for, then upgrade.");
        }

        // An install records a version only when it reaches the target: an interrupted install stays "under way" and the
        // same install command (a retried Helm hook) resumes it, instead of finding an intermediate version installed.
        return new MigrationPlan(Operation.Install, catalog.Name, null, target, Forward(chain, state, target), route);
    }

    private static MigrationPlan PlanUpgrade(ProjectCatalog catalog, DatabaseState state, ProjectVersion? current, ProjectVersion target)
    {
        if (current is null)
        {
            throw Refuse(state.HasProject
                ? $"An install of {catalog.Name} stopped part-way; run 'install --version <the same version>' again to finish it."
                : $"{catalog.Name} is not installed in this database; use 'install --version {target}'.");
        }

        RequireKnown(catalog, current);
        if (target < current)
        {
            throw new StepwiseException(FailureKind.Usage,
                $"{catalog.Name} is at {current}, above {target}; upgrade only moves up. Use 'rollback --version {target}'.");
        }

        if (target == current)
        {
            return new MigrationPlan(Operation.Upgrade, catalog.Name, current, target, PendingPostUpgrade(catalog, state, current), [current]);
        }

        var route = catalog.Graph.UpgradePath(current, target) ?? throw Refuse(
            $"{catalog.Name} cannot upgrade from {current} to {target}: the compatibility matrix has no upgrade path. " +
            $"Allowed upgrade targets from {current}: {List(catalog.Graph.UpgradeTargets(current))}.");
        return new MigrationPlan(Operation.Upgrade, catalog.Name, current, target, Forward(Hops(catalog, route), state, null), route);
    }

    private static (IReadOnlyList<ProjectVersion> Route, List<MigrationDescriptor> Chain) InstallChain(ProjectCatalog catalog, ProjectVersion target)
    {
        var graph = catalog.Graph;
        var baseVersion = catalog.Versions
            .Where(v => v <= target && catalog.OfVersion(v).Any(static m => m.Path == MigrationPath.NewInstall) && graph.UpgradePath(v, target) is not null)
            .LastOrDefault();

        var chain = new List<MigrationDescriptor>();
        IReadOnlyList<ProjectVersion>? route;
        if (baseVersion is not null)
        {
            chain.AddRange(catalog.OfVersion(baseVersion).Where(static m => m.Path == MigrationPath.NewInstall));
            route = graph.UpgradePath(baseVersion, target)!;
        }
        else
        {
            // Without a new-install set, the first version's upgrade migrations build the schema from nothing.
            var first = graph.Versions[0];
            route = graph.UpgradePath(first, target) ?? throw Refuse(
                $"{catalog.Name} {target} cannot be installed: it has no new-install set at or below it, and the compatibility matrix has no " +
                $"upgrade path to it from the first version {first}. Add a new-install set for {target}, or an upgrade path.");
            chain.AddRange(catalog.OfVersion(first).Where(static m => m.Path == MigrationPath.Upgrade && m.From is null));
        }

        chain.AddRange(Hops(catalog, route));
        return (route, chain);
    }

    // The post-upgrade migrations of the version the database is at that a deferring run left: those of the hop it came
    // by (unrestricted, or restricted to a version it passed through), not applied yet. None for a database installed by
    // the version's new-install set, which replaces its upgrade migrations.
    private static List<PlanStep> PendingPostUpgrade(ProjectCatalog catalog, DatabaseState state, ProjectVersion current)
    {
        // Most versions have no post-upgrade migration: the check that answers a nothing-to-do run stays cheap.
        var candidates = catalog.OfVersion(current).Where(static m => m.Path == MigrationPath.Upgrade && m.Phase == MigrationPhase.PostUpgrade).ToList();
        if (candidates.Count == 0)
        {
            return [];
        }

        var here = current.ToString();
        var applied = state.Applied.Select(static a => a.Key).ToHashSet(StringComparer.Ordinal);
        if (state.Applied.Any(a => a.Version == here && catalog.Find(a.Key)?.Path == MigrationPath.NewInstall))
        {
            return [];
        }

        var passed = state.Applied.Select(static a => a.Version).ToHashSet(StringComparer.Ordinal);
        return candidates
            .Where(m => !applied.Contains(m.Key) && (m.From is null || passed.Contains(m.From.ToString())))
            .Select(static m => new PlanStep(m, MigrationDirection.Up, null))
            .ToList();
    }

    // The upgrade migrations of each hop of the route, in phase and order.
    private static List<MigrationDescriptor> Hops(ProjectCatalog catalog, IReadOnlyList<ProjectVersion> route)
    {
        var chain = new List<MigrationDescriptor>();
        for (var i = 1; i < route.Count; i++)
        {
            var (from, to) = (route[i - 1], route[i]);
            chain.AddRange(catalog.OfVersion(to).Where(m => m.Path == MigrationPath.Upgrade && (m.From is null || m.From == from)));
        }

        return chain;
    }

    // onlyAtEnd: record no intermediate version, only this one on the last step.
    private static List<PlanStep> Forward(List<MigrationDescriptor> chain, DatabaseState state, ProjectVersion? onlyAtEnd)
    {
        var applied = state.Applied.Select(static a => a.Key).ToHashSet(StringComparer.Ordinal);
        var steps = new List<PlanStep>();
        for (var i = 0; i < chain.Count; i++)
        {
            if (applied.Contains(chain[i].Key))
            {
                continue;
            }

            var last = i == chain.Count - 1;
            var versionAfter = onlyAtEnd is not null
                ? (last ? onlyAtEnd : null)
                : (last || chain[i + 1].Version != chain[i].Version ? chain[i].Version : null);
            steps.Add(new PlanStep(chain[i], MigrationDirection.Up, versionAfter));
        }

        return steps;
    }

    // Defence in depth for assemblies built without the analyzers: the project's policies hold at run time too.
    private static void EnforcePolicies(ProjectCatalog catalog, MigrationPlan plan)
    {
        var policies = catalog.Policies;
        var problems = new List<string>();
        foreach (var step in plan.Steps.Where(static s => s.Direction == MigrationDirection.Up))
        {
            var migration = step.Migration;
            if (policies.RequireRollback && !migration.Reversible)
            {
                problems.Add($"{migration.Name} ({migration.Key}) has no rollback ({migration.IrreversibleReason}), and the project's policy require_rollback demands one");
            }

            if (policies.RequireValidation && !migration.Validated)
            {
                problems.Add($"{migration.Name} ({migration.Key}) does not implement Validate, and the project's policy require_validation demands it");
            }
        }

        if (problems.Count > 0)
        {
            throw new StepwiseException(FailureKind.Catalog,
                $"The plan breaks {catalog.Name}'s migration policies; nothing was run:" + Environment.NewLine +
                string.Join(Environment.NewLine, problems.Select(static p => "  - " + p)));
        }
    }

    private static void RequireKnown(ProjectCatalog catalog, ProjectVersion current)
    {
        if (!catalog.Knows(current))
        {
            var newer = catalog.Latest is { } latest && current > latest;
            throw Refuse($"The database is at {catalog.Name} {current}, which this runner does not know (known: {string.Join(", ", catalog.Versions)}). " +
                (newer ? "The runner is older than the database: use the runner image of the deployed release." : "Check that the right migrations assembly is loaded."));
        }
    }

    private static string List(IReadOnlyList<ProjectVersion> versions) => versions.Count == 0 ? "none" : string.Join(", ", versions);

    private static string Describe(ProjectVersion? version) => version?.ToString() ?? "no installed version";

    private static StepwiseException Refuse(string message) => new(FailureKind.InvalidState, message);
}
