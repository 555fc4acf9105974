using Stepwise.Catalog;
using Stepwise.State;
using Stepwise.Versioning;

namespace Stepwise.Planning;

// Rollbacks: down the matrix's rollback_to hops, undoing applied migrations in exact reverse order, and recording the
// version the database is at after each step.
public static partial class MigrationPlanner
{
    private static ProjectVersion? UnfinishedRollbackTarget(ProjectCatalog catalog, DatabaseState state, ProjectVersion? current)
    {
        var above = current is null ? state.Applied.Count > 0 : state.Applied.Any(a => ProjectVersion.Parse(a.Version) > current);
        return state.HasUnfinishedSteps || above
            ? current
            : throw new StepwiseException(FailureKind.Usage,
                $"rollback needs --version: the version to roll back to. (Without it, rollback undoes what an unfinished run left above the recorded version, and {catalog.Name} has none.)");
    }

    private static MigrationPlan PlanRollback(ProjectCatalog catalog, DatabaseState state, ProjectVersion? current, ProjectVersion? target)
    {
        if (current is null)
        {
            if (!state.HasProject)
            {
                throw Refuse($"{catalog.Name} is not installed in this database; there is nothing to roll back.");
            }

            if (target is not null)
            {
                throw Refuse($"An install of {catalog.Name} stopped part-way, so there is no installed version to roll back to {target}. " +
                    "'rollback' without --version undoes what that install applied; 'install' with its version finishes it.");
            }

            // Everything the install applied goes, the new-install set included: back to a database without the project.
            var everything = Undo(catalog, state, static _ => true, allowNewInstall: true, out var installProblems);
            RefuseProblems(catalog, "its unfinished install", installProblems);
            return new MigrationPlan(Operation.Rollback, catalog.Name, null, null,
                everything.Select(static m => new PlanStep(m, MigrationDirection.Down, null)).ToArray(), []);
        }

        RequireKnown(catalog, current);
        var to = target!;
        if (to > current)
        {
            throw new StepwiseException(FailureKind.Usage,
                $"{catalog.Name} is at {current}, below {to}; rollback only moves down. Use 'upgrade --version {to}'.");
        }

        var route = to == current ? [current] : catalog.Graph.RollbackPath(current, to) ?? throw Refuse(
            $"{catalog.Name} cannot roll back from {current} to {to}: the compatibility matrix allows no such rollback. " +
            $"Allowed rollback targets from {current}: {List(catalog.Graph.RollbackTargets(current))}.");

        var migrations = Undo(catalog, state, a => ProjectVersion.Parse(a.Version) > to, allowNewInstall: false, out var problems);
        RefuseProblems(catalog, $"from {current} to {to}", problems);

        // With several routes to a version, the database may have skipped the target: undoing what lies above it would
        // then leave a schema that never was that version.
        var passedThrough = state.Applied.Select(static a => ProjectVersion.Parse(a.Version)).ToHashSet();
        if (to != current && !passedThrough.Contains(to) && catalog.Knows(to))
        {
            var candidates = catalog.Graph.RollbackTargets(current).Where(passedThrough.Contains).ToArray();
            throw Refuse($"{catalog.Name} never was at {to} in this database: it reached {current} by another route (no migration of {to} is applied). " +
                $"Roll back to a version it passed through: {List(candidates)}.");
        }

        return new MigrationPlan(Operation.Rollback, catalog.Name, current, to, RecordVersionsAsTheyGo(migrations, current, to), route);
    }

    // Failed and interrupted steps (always), then the applied migrations the filter picks, newest first: the exact
    // reverse of the order they were applied in.
    private static List<MigrationDescriptor> Undo(ProjectCatalog catalog, DatabaseState state, Func<AppliedMigration, bool> applied, bool allowNewInstall,
        out List<string> problems)
    {
        var undo = state.Failed
            .Concat(state.Interrupted.Select(static i => i.Migration))
            .Concat(state.Applied.Where(applied))
            .OrderByDescending(static a => a.Sequence)
            .ToArray();

        problems = [];
        var migrations = new List<MigrationDescriptor>();
        foreach (var record in undo)
        {
            var migration = catalog.Find(record.Key);
            if (migration is null)
            {
                problems.Add($"{record.Name} ({record.Key}) is applied but not in this runner's assemblies, so its Down cannot run");
            }
            else if (migration.Path == MigrationPath.NewInstall && !allowNewInstall)
            {
                problems.Add($"{migration.Name} is part of the new-install set of {migration.Version}: a database installed directly at {migration.Version} cannot go below it");
            }
            else if (!migration.Reversible)
            {
                problems.Add($"{migration.Name} ({migration.Key}) is irreversible: {migration.IrreversibleReason}");
            }
            else
            {
                migrations.Add(migration);
            }
        }

        return migrations;
    }

    private static void RefuseProblems(ProjectCatalog catalog, string what, List<string> problems)
    {
        if (problems.Count > 0)
        {
            throw Refuse($"Cannot roll back {catalog.Name} {what}; nothing was changed:" + Environment.NewLine +
                string.Join(Environment.NewLine, problems.Select(static p => "  - " + p)));
        }
    }

    // Once a step has undone a migration of a version, the database is no longer at that version: it is at the highest
    // lower version whose migrations are all still in place (or the target). Recorded with that step, so that a rollback
    // stopped half-way leaves the truth: an upgrade then re-applies what was undone, and the same rollback undoes the rest.
    private static List<PlanStep> RecordVersionsAsTheyGo(List<MigrationDescriptor> migrations, ProjectVersion current, ProjectVersion target)
    {
        var steps = new List<PlanStep>(migrations.Count);
        var recorded = current;
        for (var i = 0; i < migrations.Count; i++)
        {
            var version = migrations[i].Version;
            var below = target;
            for (var j = i + 1; j < migrations.Count; j++)
            {
                if (migrations[j].Version < version && migrations[j].Version > below)
                {
                    below = migrations[j].Version;
                }
            }

            var now = below < recorded ? below : recorded;
            steps.Add(new PlanStep(migrations[i], MigrationDirection.Down, now != recorded ? now : null));
            recorded = now;
        }

        return steps;
    }
}
