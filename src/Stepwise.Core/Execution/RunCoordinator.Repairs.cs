using Stepwise.Planning;
using Stepwise.State;

namespace Stepwise.Execution;

// Repair, and the resumption of steps a stopped runner left: runs of their own in the audit log, under the same lock.
internal sealed partial class RunCoordinator
{
    /// <summary>
    /// Settles failed and interrupted non-transactional steps by their checks and aligns the records with the code;
    /// with <see cref="RunOptions.DryRun"/>, only says what it would do.
    /// </summary>
    public async Task<IReadOnlyList<RepairAction>> RepairAsync(CancellationToken cancellationToken)
    {
        if (_options.DryRun)
        {
            var observed = await ReadLockedStateAsync(cancellationToken).ConfigureAwait(false);
            return await RepairActionsAsync(observed, NewRun("repair", null, observed.CurrentVersion), cancellationToken)
                .ConfigureAwait(false);
        }

        await StateStoreEvolver.PrepareAsync(_session, _session.Target, _logger, cancellationToken).ConfigureAwait(false);
        await using var projectLock = await _locks.AcquireAsync(_session, _session.Target, Project, _options.LockTimeout, cancellationToken).ConfigureAwait(false);
        var state = await ReadLockedStateAsync(cancellationToken).ConfigureAwait(false);
        var run = NewRun("repair", null, state.CurrentVersion);
        var actions = await RepairActionsAsync(state, run, cancellationToken).ConfigureAwait(false);
        if (actions.Count > 0)
        {
            await RecordRepairsAsync(run, actions, cancellationToken).ConfigureAwait(false);
        }

        return actions;
    }

    // A repair changes the records, so it is a run of its own in the audit log, with its history entries under its id.
    private async Task RecordRepairsAsync(RunRecord run, IReadOnlyList<RepairAction> actions, CancellationToken cancellationToken)
    {
        var auditId = await _session.BeginRunAsync(run, cancellationToken).ConfigureAwait(false);
        try
        {
            await _session.RepairAsync(run, [.. actions.Select(a => a with { Reason = _redaction.Clean(a.Reason) })], cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            await _executor.TryEndRunAsync(auditId, RunOutcome.Failed, FailureMessage(ex, Explained(ex))).ConfigureAwait(false);
            throw;
        }

        await _executor.TryEndRunAsync(auditId, RunOutcome.Succeeded,
            string.Join("; ", actions.Select(static a => $"{a.Kind} {a.Name} ({a.Version})"))).ConfigureAwait(false);
    }

    // Steps a stopped runner left unfinished: each resumes (runs again) or is recorded as finished, as its checks say;
    // one that stopped half-way stops the run and says how to undo it.
    private async Task<DatabaseState> ResumeAsync(DatabaseState state, CancellationToken cancellationToken)
    {
        var run = NewRun("resume", null, state.CurrentVersion);
        var actions = await _resolver.ResolveAsync(_catalog, run, state.Interrupted, cancellationToken).ConfigureAwait(false);
        await RecordRepairsAsync(run, actions, cancellationToken).ConfigureAwait(false);
        foreach (var action in actions)
        {
            LogResumed(action.Name, action.Key, action.Reason ?? "");
        }

        return await ReadLockedStateAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<RepairAction>> RepairActionsAsync(DatabaseState state, RunRecord run, CancellationToken cancellationToken)
    {
        var unfinished = state.Failed.Select(static f => new InterruptedMigration(f, MigrationDirection.Up)).Concat(state.Interrupted).ToArray();
        var actions = (await _resolver.ResolveAsync(_catalog, run, unfinished, cancellationToken).ConfigureAwait(false)).ToList();
        foreach (var drift in DriftDetector.Detect(_catalog, state))
        {
            var applied = state.Applied.Concat(state.Unrecorded).First(a => a.Key == drift.Key);
            actions.Add(drift.Kind switch
            {
                DriftKind.Changed => new RepairAction(RepairKind.AlignChecksum, drift.Key, drift.Name, applied.Version, drift.CurrentChecksum),
                DriftKind.Missing => new RepairAction(RepairKind.ForgetMissing, drift.Key, drift.Name, applied.Version, null),
                _ => new RepairAction(RepairKind.RestoreRecord, drift.Key, drift.Name, applied.Version, applied.Checksum,
                    "the history records it as applied, but its applied record was deleted; recorded again from the history"),
            });
        }

        return actions;
    }
}
