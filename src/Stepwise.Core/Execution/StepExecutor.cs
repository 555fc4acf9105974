using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Stepwise.Catalog;
using Stepwise.Planning;

namespace Stepwise.Execution;

/// <summary>
/// Runs steps: one at a time with its transaction, checks and record, or the plan's transactional steps together in a
/// rehearsal that is rolled back. Every failure becomes a <see cref="StepwiseException"/> that names the phase and says
/// what state the step left.
/// </summary>
internal sealed partial class StepExecutor(
    IDatabaseSession session, MigrationFactory migrations, ILogger logger, TimeProvider time, TimeSpan? lockTimeout = null, Observing.RunEvents? events = null,
    Redaction? redaction = null)
{
    private readonly Redaction _redaction = redaction ?? Redaction.None;

    /// <summary>How many times a transactional step runs when each attempt fails for a reason the engine calls transient.</summary>
    internal const int TransientAttempts = 3;

    private readonly Observing.RunEvents _events = events ?? Observing.RunEvents.None;

    /// <summary>Runs one step (again, after a transient failure); observers hear of it once, however many attempts it takes.</summary>
    public async Task ExecuteAsync(RunRecord run, PlanStep step, bool backup, CancellationToken cancellationToken, Observing.RunContext? observed = null,
        int position = 0)
    {
        var start = new StepStart(run, step.Migration, step.Direction, step.VersionAfter)
        {
            LockTimeout = lockTimeout,
            Position = position,
            Commands = new SentCommands(_redaction),
        };
        var steps = observed?.Steps ?? 0;
        var startedAt = time.GetUtcNow();
        var stopwatch = Stopwatch.StartNew();
        if (observed is not null)
        {
            _events.StepStarted(observed, start);
        }

        StepImpact? impact;
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    impact = await ExecuteOnceAsync(start, step, backup, steps, retryTransient: attempt < TransientAttempts, cancellationToken).ConfigureAwait(false);
                    break;
                }
                catch (TransientStepFailure transient)
                {
                    LogRetryingTransient(step.Migration.Name, attempt, transient.InnerException!.GetType().Name);
                }
            }
        }
        catch (Exception ex) when (observed is not null && ex is not OutOfMemoryException)
        {
            var kind = (ex as StepwiseException)?.Kind ?? FailureKind.MigrationFailed;
            _events.StepFinished(observed, new StepRecord(start, StatusAfter(kind), startedAt, stopwatch.Elapsed, null, _redaction.Clean(ex.Message)), kind);
            throw;
        }

        if (observed is not null)
        {
            _events.StepFinished(observed, new StepRecord(start, StepStatus.Succeeded, startedAt, stopwatch.Elapsed, step.VersionAfter, null) { Impact = impact }, null);
        }
    }

    // A step stopped from outside (cancelled, or its connection lost) is interrupted; any other failure is the step's.
    private static StepStatus StatusAfter(FailureKind kind) =>
        kind is FailureKind.Cancelled or FailureKind.Connection ? StepStatus.Interrupted : StepStatus.Failed;

    // Returns what the step did to other sessions, where the engine watches it.
    private async Task<StepImpact?> ExecuteOnceAsync(StepStart start, PlanStep step, bool backup, int steps, bool retryTransient, CancellationToken cancellationToken)
    {
        var migration = step.Migration;
        var startedAt = time.GetUtcNow();
        var stopwatch = Stopwatch.StartNew();
        start.Commands.Clear();
        using var stepScope = logger.BeginScope(new Dictionary<string, object?> { ["Migration"] = migration.Name, ["MigrationKey"] = migration.Key });
        LogStarted(start, step, steps);
        try
        {
            var instance = migrations.Create(migration);
            await using var scope = await session.BeginStepAsync(start, cancellationToken).ConfigureAwait(false);
            try
            {
                IReadOnlyList<BackupRecord> backups = [];
                if (backup && migration.Changes.Count > 0)
                {
                    // The coordinator has checked that the engine takes backups (IBackups), whose scopes then copy.
                    var copies = scope as IStepBackup ?? throw new InvalidOperationException("An engine with IBackups must give step scopes that implement IStepBackup.");
                    backups = await InPhaseAsync(StepPhase.Backup, () => copies.BackupAsync(migration.Changes, cancellationToken)).ConfigureAwait(false);
                    foreach (var copy in backups)
                    {
                        LogBackupTaken(copy.Source, copy.Backup, copy.Rows);
                    }
                }

                var closingChecks = await InvokeAsync(instance, scope.Context, step.Direction, scope as IHeldChecks, cancellationToken).ConfigureAwait(false);
                LogStepRan(migration.Name, stopwatch.Elapsed.TotalMilliseconds, migration.Transactional ? "the commit" : "its record");

                // Checks held until the commit belong to the closing phase: one that fails there is reported as Validate's (or the
                // rollback check's).
                var record = new StepRecord(start, StepStatus.Succeeded, startedAt, stopwatch.Elapsed, step.VersionAfter, null, backups);
                await InPhaseAsync(StepPhase.Record, () => scope.CompleteAsync(record, cancellationToken), checksOf: closingChecks).ConfigureAwait(false);
                LogStepFinished(migration.Name, stopwatch.Elapsed.TotalMilliseconds);
                var impact = (scope as IStepImpactWatch)?.Impact;
                LogImpact(migration, impact);
                return impact;
            }
            catch (Exception ex) when (scope is ICompensatingScope compensating && step.Direction == MigrationDirection.Up && Compensable(ex, cancellationToken))
            {
                throw await CompensateAsync(compensating, scope.Context, instance, start, startedAt, stopwatch, (PhaseFailedException)ex, cancellationToken)
                    .ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not StepwiseException)
        {
            var (phase, cause) = ex is PhaseFailedException failed ? (failed.Phase, failed.InnerException!) : (StepPhase.Start, ex);
            if (retryTransient && migration.Transactional && !cancellationToken.IsCancellationRequested && session is ITransientFailures transient &&
                transient.IsTransient(cause))
            {
                // The transaction is gone with everything the step did (the scope is disposed by now): nothing to record.
                throw new TransientStepFailure(cause);
            }

            var failure = Describe(phase, migration, cause, cancellationToken, Aftermath(migration));
            await TryRecordFailureAsync(new StepRecord(start, StatusAfter(failure.Kind), startedAt, stopwatch.Elapsed, null, _redaction.Clean(failure.Message))).ConfigureAwait(false);
            if (!migration.Transactional)
            {
                failure = await WithLeftoversAsync(failure).ConfigureAwait(false);
            }

            throw failure;
        }
    }

    private void LogStarted(StepStart start, PlanStep step, int steps)
    {
        var (migration, action) = (step.Migration, step.Direction == MigrationDirection.Up ? "Applying" : "Rolling back");
        if (start.Position > 0 && steps > 0)
        {
            LogPlanStepStarted(action, migration.Version.ToString(), migration.Name, migration.Key, start.Position, steps);
        }
        else
        {
            LogStepStarted(action, migration.Version.ToString(), migration.Name, migration.Key);
        }
    }

    // What the engine saw the step do to others and to its tables, where it watches.
    private void LogImpact(MigrationDescriptor migration, StepImpact? impact)
    {
        if (impact is { Watched: true, BlockedSessions: > 0 })
        {
            LogBlockedOthers(migration.Name, impact.BlockedSessions, impact.LongestBlocked.TotalSeconds);
        }

        foreach (var size in impact?.TableSizes ?? [])
        {
            LogTableSize(size.Table, size.BeforeBytes, size.AfterBytes?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "dropped");
        }
    }

    public async Task TryEndRunAsync(long auditId, RunOutcome outcome, string? message)
    {
        try
        {
            await session.EndRunAsync(auditId, outcome, _redaction.Clean(message), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The run's own outcome matters more than its audit entry; the next run under the lock closes this one.
            LogBookkeepingFailed("the run's audit entry", ex.Message);
        }
    }

    private StepwiseException Describe(StepPhase phase, MigrationDescriptor migration, Exception ex,
        CancellationToken cancellationToken, string aftermath)
    {
        var what = $"{migration.Name} ({migration.Key})";
        if (ex is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            return new StepwiseException(FailureKind.Cancelled, $"Cancelled during {what}. {Interrupted(migration, aftermath)}", ex);
        }

        if (session.Explain(ex) is { } database)
        {
            // The database's failure, not the migration's: it keeps its own kind (lost connection, missing privilege).
            var during = $"{PhaseName(phase)} of {what}";
            return database.Kind == FailureKind.Connection
                ? new StepwiseException(FailureKind.Connection, $"{database.Message.TrimEnd('.')} during {during}. {Interrupted(migration, aftermath)}", ex)
                : new StepwiseException(database.Kind, $"{during} failed: {database.Message}{StatementOf(ex)} {aftermath}", ex);
        }

        var reason = Reason(ex);
        return phase switch
        {
            StepPhase.PreCheck => new StepwiseException(FailureKind.PreCheckFailed,
                $"PreCheck of {what} failed: {reason}. The migration did not run; the database is as it was before this step.", ex),
            StepPhase.Validate => new StepwiseException(FailureKind.ValidationFailed,
                $"Validate of {what} failed after Up: {reason}. {aftermath}", ex),
            StepPhase.Down => new StepwiseException(FailureKind.RollbackFailed, $"Down of {what} failed: {reason}. {aftermath}", ex),
            StepPhase.RollbackCheck => new StepwiseException(FailureKind.RollbackFailed,
                $"Down of {what} ran, but the database does not satisfy the migration's PreCheck again: {reason}. {aftermath}", ex),
            StepPhase.Record => new StepwiseException(FailureKind.MigrationFailed, $"Recording {what} failed: {reason}. {aftermath}", ex),
            StepPhase.Backup => new StepwiseException(FailureKind.MigrationFailed,
                $"Backing up {string.Join(", ", migration.Changes)} before {what} failed (policy backup_before_upgrade): {reason}. The migration did not run.", ex),
            _ => new StepwiseException(FailureKind.MigrationFailed, $"{what} failed: {reason}. {aftermath}", ex),
        };
    }

    // The reason ends a sentence of ours: a message's own full stop would double it.
    private string Reason(Exception ex)
    {
        var reason = (ex is MigrationCheckException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}").TrimEnd().TrimEnd('.');
        return FailedStatement.Of(ex) is { } statement ? $"{reason}. {statement.Describe(_redaction)}" : reason;
    }

    private string StatementOf(Exception ex) => FailedStatement.Of(ex) is { } statement ? $" {statement.Describe(_redaction)}." : "";

    private static string Aftermath(MigrationDescriptor migration) => migration.Transactional
        ? "The step was rolled back; the database is as it was before this step."
        : "The migration is non-transactional, so its changes were not undone: undo them with 'rollback' (runs its Down) or fix them by hand and run 'repair'.";

    // A step stopped from outside: a transactional one is gone with its transaction; a non-transactional one stays
    // recorded as started, and the next run sorts out what it left.
    private static string Interrupted(MigrationDescriptor migration, string aftermath) => migration.Transactional
        ? aftermath
        : "It runs outside a transaction and may have stopped part-way: run the same command again, and the runner checks what it left " +
          "(it runs again if it had changed nothing, is recorded if it had finished, and otherwise says how to undo it).";

    private async Task<StepwiseException> WithLeftoversAsync(StepwiseException failure)
    {
        try
        {
            var leftovers = await session.FindLeftoversAsync(CancellationToken.None).ConfigureAwait(false);
            return leftovers.Count == 0
                ? failure
                : new StepwiseException(failure.Kind, $"{failure.Message} Left behind: {string.Join("; ", leftovers)}.", failure.InnerException);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogBookkeepingFailed("what the step left behind", ex.Message);
            return failure;
        }
    }

    private Task TryRecordFailureAsync(StepRecord record) =>
        TryRecordAsync(record, () => session.RecordFailureAsync(record, CancellationToken.None));

    private async Task TryRecordAsync(StepRecord record, Func<Task> write)
    {
        try
        {
            await write().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The original failure matters more than its bookkeeping; say so and keep the original error.
            LogBookkeepingFailed(record.Start.Migration.Name, ex.Message);
        }
    }

    // An attempt of a transactional step that the engine says may simply run again.
    private sealed class TransientStepFailure(Exception cause) : Exception(cause.Message, cause);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Migration}: attempt {Attempt} was aborted by the server ({Error}); its transaction left nothing, running it again")]
    private partial void LogRetryingTransient(string migration, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Action} {Version} {Migration} [{Key}]")]
    private partial void LogStepStarted(string action, string version, string migration, string key);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Action} {Version} {Migration} [{Key}], step {Position} of {Steps}")]
    private partial void LogPlanStepStarted(string action, string version, string migration, string key, int position, int steps);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Migration} ran its checks and changes in {ElapsedMs:F1} ms; next: {Next}")]
    private partial void LogStepRan(string migration, double elapsedMs, string next);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Migration} held locks that other sessions waited for: up to {Sessions} at once, the longest for {Seconds:F1} s")]
    private partial void LogBlockedOthers(string migration, int sessions, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Table}: {BeforeBytes} bytes before the step, {AfterBytes} after")]
    private partial void LogTableSize(string table, long beforeBytes, string afterBytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Done {Migration} in {ElapsedMs:F0} ms")]
    private partial void LogStepFinished(string migration, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Backed up {Source} to {Backup} ({Rows} rows)")]
    private partial void LogBackupTaken(string source, string backup, long rows);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record {What} in history: {Error}")]
    private partial void LogBookkeepingFailed(string what, string error);
}
