using System.Diagnostics;

namespace Stepwise.Execution;

// Steps written for a transaction that the database runs without one (ICompensatingScope): a failure is undone by the
// migration's own Down.
internal sealed partial class StepExecutor
{
    // A step written for a transaction, run without one, that failed in its own code (not cancelled, not the database's
    // failure): its Down can undo it.
    private bool Compensable(Exception ex, CancellationToken cancellationToken) =>
        ex is PhaseFailedException { Phase: StepPhase.PreCheck or StepPhase.Up or StepPhase.Validate, InnerException: { } cause } &&
        !(cause is OperationCanceledException && cancellationToken.IsCancellationRequested) && session.Explain(cause) is null;

    // Undoes a failed step with the migration's Down, proves it with its PreCheck, and records whether that worked. A
    // step that failed in PreCheck changed nothing, and needs no undoing.
    private async Task<StepwiseException> CompensateAsync(ICompensatingScope compensating, IMigrationContext context, IMigration instance, StepStart start,
        DateTimeOffset startedAt, Stopwatch stopwatch, PhaseFailedException failed, CancellationToken cancellationToken)
    {
        string? left = null;
        if (failed.Phase != StepPhase.PreCheck)
        {
            try
            {
                await InPhaseAsync(StepPhase.Down, () => instance.DownAsync(context, cancellationToken)).ConfigureAwait(false);
                await InPhaseAsync(StepPhase.RollbackCheck, () => instance.PreCheckAsync(context, cancellationToken)).ConfigureAwait(false);
            }
            catch (PhaseFailedException undo)
            {
                left = $"{PhaseName(undo.Phase)} failed: {Reason(undo.InnerException!)}";
            }
        }

        var aftermath = left is null
            ? "This database has no transactions: the migration's Down undid the step, and its PreCheck holds again; the database is as it was before this step."
            : $"This database has no transactions, and undoing the step with its Down did not work ({left}): fix what it left by hand and run 'repair', or run 'rollback'.";
        var failure = Describe(failed.Phase, start.Migration, failed.InnerException!, cancellationToken, aftermath);
        var record = new StepRecord(start, StepStatus.Failed, startedAt, stopwatch.Elapsed, null, _redaction.Clean(failure.Message));
        await TryRecordAsync(record, () => compensating.RecordFailedAsync(record, undone: left is null, CancellationToken.None)).ConfigureAwait(false);

        return failure;
    }
}
