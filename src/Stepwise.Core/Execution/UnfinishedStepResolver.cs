using Stepwise.Catalog;
using Stepwise.State;

namespace Stepwise.Execution;

/// <summary>
/// Decides, from the migration's own checks, what became of a non-transactional step that failed or was interrupted:
/// if its starting state still holds (<c>PreCheck</c> passes after an <c>Up</c>; <c>Validate</c> passes after a
/// <c>Down</c>), nothing of it happened and it can simply run again; if its end state holds, it had finished and is
/// recorded so; otherwise it stopped half-way and must be undone with <c>rollback</c>.
/// </summary>
/// <remarks>
/// The checks run in a transaction that is rolled back, so a check that writes (it should not) leaves nothing. Objects
/// the engine reports as left unusable (an INVALID index) block running a step again: <c>IF NOT EXISTS</c> would skip
/// them, and the step would "succeed" without them.
/// </remarks>
internal sealed class UnfinishedStepResolver(IDatabaseSession session, MigrationFactory migrations)
{
    /// <summary>What to record for each unfinished step; refuses, changing nothing, when one of them stopped half-way.</summary>
    /// <param name="catalog">The project's migrations.</param>
    /// <param name="run">The run that resolves them (the checks' context names it).</param>
    /// <param name="unfinished">The steps to resolve.</param>
    /// <param name="cancellationToken">Cancels the checks.</param>
    public async Task<IReadOnlyList<RepairAction>> ResolveAsync(ProjectCatalog catalog, RunRecord run,
        IReadOnlyList<InterruptedMigration> unfinished, CancellationToken cancellationToken)
    {
        if (unfinished.Count == 0)
        {
            return [];
        }

        var leftovers = await session.FindLeftoversAsync(cancellationToken).ConfigureAwait(false);
        var actions = new List<RepairAction>();
        var problems = new List<string>();
        foreach (var (record, direction) in unfinished)
        {
            var migration = catalog.Find(record.Key);
            if (migration is null)
            {
                problems.Add($"{record.Name} ({record.Key}) is not in this runner's assemblies, so its checks cannot run; use the runner of the release that ran it");
                continue;
            }

            var up = direction == MigrationDirection.Up;
            var verb = up ? "Up" : "Down";
            var before = await CheckAsync(run, migration, direction, up ? Check.PreCheck : Check.Validate, cancellationToken).ConfigureAwait(false);
            var after = await CheckAsync(run, migration, direction, up ? Check.Validate : Check.PreCheck, cancellationToken).ConfigureAwait(false);
            var (beforeName, afterName) = up ? ("PreCheck", "Validate") : ("Validate", "PreCheck");
            if (after is null)
            {
                // Finished: an Up is applied; a Down has undone the migration.
                actions.Add(up
                    ? new RepairAction(RepairKind.MarkApplied, migration.Key, migration.Name, migration.Version.ToString(), migration.Checksum,
                        $"its Up had finished ({afterName} passes); recorded as applied")
                    : new RepairAction(RepairKind.ClearFailure, migration.Key, migration.Name, migration.Version.ToString(), null,
                        $"its Down had finished ({afterName} passes); recorded as rolled back"));
            }
            else if (before is null && (!up || leftovers.Count == 0))
            {
                // Not started: an Up runs again; a Down leaves the migration applied.
                actions.Add(up
                    ? new RepairAction(RepairKind.ClearFailure, migration.Key, migration.Name, migration.Version.ToString(), null,
                        $"its Up had changed nothing ({beforeName} passes); it runs again")
                    : new RepairAction(RepairKind.MarkApplied, migration.Key, migration.Name, migration.Version.ToString(), migration.Checksum,
                        $"its Down had changed nothing ({beforeName} passes); still applied"));
            }
            else
            {
                var state = before is null
                    ? $"its {beforeName} passes, but {string.Join("; ", leftovers)}"
                    : $"its {beforeName} fails ({before}) and its {afterName} fails ({after})";
                problems.Add($"{migration.Name} ({migration.Key}) stopped part-way through its {verb}: {state}");
            }
        }

        if (problems.Count > 0)
        {
            var undo = run.FromVersion is null ? "'rollback' (it undoes the install stopped part-way)" : $"'rollback --version {run.FromVersion}'";
            throw new StepwiseException(FailureKind.InvalidState,
                $"{catalog.Name} has a step that stopped part-way outside a transaction; nothing was changed: " + string.Join("; ", problems) +
                $". Undo it with {undo}, which runs its Down, then run the same command again; or finish it by hand so that its checks pass, and run 'repair'.");
        }

        return actions;
    }

    // null when the check passes, else why it fails.
    private async Task<string?> CheckAsync(RunRecord run, MigrationDescriptor migration, MigrationDirection direction, Check check,
        CancellationToken cancellationToken)
    {
        var instance = migrations.Create(migration);
        await using var practice = await StepExecutor.Rehearsals(session).BeginRehearsalAsync(cancellationToken).ConfigureAwait(false);
        var context = practice.ContextFor(new StepStart(run, migration, direction));
        try
        {
            await (check == Check.PreCheck ? instance.PreCheckAsync(context, cancellationToken) : instance.ValidateAsync(context, cancellationToken))
                .ConfigureAwait(false);
            return null;
        }
        catch (MigrationCheckException ex)
        {
            return ex.Message.TrimEnd('.');
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or OutOfMemoryException) && session.Explain(ex) is null)
        {
            return $"{ex.GetType().Name}: {ex.Message.TrimEnd('.')}";
        }
    }

    private enum Check
    {
        PreCheck,
        Validate,
    }
}
