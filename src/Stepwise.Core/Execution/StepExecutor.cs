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
internal sealed partial class StepExecutor(IDatabaseSession session, MigrationFactory migrations, ILogger logger, TimeProvider time)
{
    public async Task ExecuteAsync(RunRecord run, PlanStep step, bool backup, CancellationToken cancellationToken)
    {
        var migration = step.Migration;
        var start = new StepStart(run, migration, step.Direction, step.VersionAfter);
        var startedAt = time.GetUtcNow();
        var stopwatch = Stopwatch.StartNew();
        using var stepScope = logger.BeginScope(new Dictionary<string, object?> { ["Migration"] = migration.Name, ["MigrationKey"] = migration.Key });
        LogStepStarted(step.Direction == MigrationDirection.Up ? "Applying" : "Rolling back", migration.Version.ToString(), migration.Name, migration.Key);

        var progress = new StepProgress();
        try
        {
            var instance = migrations.Create(migration);
            await using var scope = await session.BeginStepAsync(start, cancellationToken).ConfigureAwait(false);
            IReadOnlyList<BackupRecord> backups = [];
            if (backup && migration.Changes.Count > 0)
            {
                progress.Phase = StepPhase.Backup;
                // The coordinator has checked that the engine takes backups (IBackups), whose scopes then copy.
                var copies = scope as IStepBackup ?? throw new InvalidOperationException("An engine with IBackups must give step scopes that implement IStepBackup.");
                backups = await copies.BackupAsync(migration.Changes, cancellationToken).ConfigureAwait(false);
                foreach (var copy in backups)
                {
                    LogBackupTaken(copy.Source, copy.Backup, copy.Rows);
                }
            }

            await InvokeAsync(instance, scope.Context, step.Direction, progress, scope as IHeldChecks, cancellationToken).ConfigureAwait(false);
            LogStepRan(migration.Name, stopwatch.Elapsed.TotalMilliseconds, migration.Transactional ? "the commit" : "its record");
            var closingChecks = progress.Phase;
            progress.Phase = StepPhase.Record;
            try
            {
                await scope.CompleteAsync(new StepRecord(start, StepStatus.Succeeded, startedAt, stopwatch.Elapsed, step.VersionAfter, null, backups),
                    cancellationToken).ConfigureAwait(false);
            }
            catch (MigrationCheckException)
            {
                // A closing check the engine verified with the commit: it failed as part of Validate (or the rollback check).
                progress.Phase = closingChecks;
                throw;
            }

            LogStepFinished(migration.Name, stopwatch.Elapsed.TotalMilliseconds);
        }
        catch (Exception ex) when (ex is not StepwiseException)
        {
            var failure = Describe(progress.Phase, migration, ex, cancellationToken, Aftermath(migration));
            var status = failure.Kind is FailureKind.Cancelled or FailureKind.Connection ? StepStatus.Interrupted : StepStatus.Failed;
            await TryRecordFailureAsync(new StepRecord(start, status, startedAt, stopwatch.Elapsed, null, failure.Message)).ConfigureAwait(false);
            if (!migration.Transactional)
            {
                failure = await WithLeftoversAsync(failure).ConfigureAwait(false);
            }

            throw failure;
        }
    }

    // Runs the transactional steps of the plan, in order, in one transaction that is rolled back: a step that would
    // fail is found before anything is applied. Steps after the first non-transactional one are not rehearsed, because
    // they may depend on what it does.
    public async Task RehearseAsync(RunRecord run, MigrationPlan plan, CancellationToken cancellationToken)
    {
        var rehearsable = plan.Steps.TakeWhile(static s => s.Migration.Transactional).ToArray();
        var skipped = plan.Steps.Skip(rehearsable.Length).Select(static s => s.Migration.Name).ToArray();
        var rehearsals = Rehearsals(session);
        var rehearsal = run with { Operation = "rehearsal" };
        var auditId = await session.BeginRunAsync(rehearsal, cancellationToken).ConfigureAwait(false);
        LogRehearsalStarted(plan.Project, rehearsable.Length, skipped.Length);

        StepwiseException? failure = null;
        try
        {
            await using var practice = await rehearsals.BeginRehearsalAsync(cancellationToken).ConfigureAwait(false);
            foreach (var step in rehearsable)
            {
                var progress = new StepProgress();
                try
                {
                    var context = practice.ContextFor(new StepStart(rehearsal, step.Migration, step.Direction));
                    await InvokeAsync(migrations.Create(step.Migration), context, step.Direction, progress, held: null, cancellationToken)
                        .ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not StepwiseException)
                {
                    failure = Describe(progress.Phase, step.Migration, ex, cancellationToken,
                        "Found in the rehearsal (policy dry_run_first): nothing was applied.");
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is not StepwiseException && session.Explain(ex) is { } explained)
        {
            // The rehearsal's own transaction failed (the connection was lost while it began or rolled back).
            failure ??= new StepwiseException(explained.Kind, $"{explained.Message} Found in the rehearsal (policy dry_run_first): nothing was applied.", ex);
        }

        var summary = failure?.Message ?? (skipped.Length == 0
            ? $"rehearsed {rehearsable.Length} step(s); all passed and were rolled back"
            : $"rehearsed {rehearsable.Length} step(s); all passed and were rolled back; not rehearsable (at or after a non-transactional step): {string.Join(", ", skipped)}");
        await TryEndRunAsync(auditId, failure is null ? RunOutcome.Succeeded : RunOutcome.Failed, summary).ConfigureAwait(false);
        if (failure is not null)
        {
            throw failure;
        }

        LogRehearsalPassed(plan.Project, summary);
    }

    /// <summary>The session's rehearsals; an engine without them cannot rehearse or judge a stopped step by its checks.</summary>
    /// <exception cref="StepwiseException">The engine has no rehearsal (kind <see cref="FailureKind.Usage"/>).</exception>
    public static IRehearsals Rehearsals(IDatabaseSession session) => session as IRehearsals ?? throw new StepwiseException(FailureKind.Usage,
        "This engine cannot run a migration's checks for practice in a transaction that is rolled back, which policy dry_run_first and " +
        "the judging of a stopped step need. Turn dry_run_first off for this database, and settle stopped steps with 'rollback' or 'repair'.");

    public async Task TryEndRunAsync(long auditId, RunOutcome outcome, string? message)
    {
        try
        {
            await session.EndRunAsync(auditId, outcome, message, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The run's own outcome matters more than its audit entry; the next run under the lock closes this one.
            LogBookkeepingFailed("the run's audit entry", ex.Message);
        }
    }

    // held: the step's scope can hold checks back (see IHeldChecks); the closing checks always may be, PreCheck's when
    // the scope says so.
    private static async Task InvokeAsync(IMigration instance, IMigrationContext context, MigrationDirection direction, StepProgress progress,
        IHeldChecks? held, CancellationToken cancellationToken)
    {
        if (direction == MigrationDirection.Up)
        {
            progress.Phase = StepPhase.PreCheck;
            var deferred = held is { MayHoldPreChecks: true };
            if (deferred)
            {
                held!.HoldChecks();
            }

            await instance.PreCheckAsync(context, cancellationToken).ConfigureAwait(false);
            progress.Phase = StepPhase.Up;
            try
            {
                await instance.UpAsync(context, cancellationToken).ConfigureAwait(false);
            }
            catch (MigrationCheckException) when (deferred)
            {
                // Up sends one statement and checks nothing itself: this is a PreCheck check, verified with the statement.
                progress.Phase = StepPhase.PreCheck;
                throw;
            }

            progress.Phase = StepPhase.Validate;
            held?.HoldChecks();
            await instance.ValidateAsync(context, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            progress.Phase = StepPhase.Down;
            await instance.DownAsync(context, cancellationToken).ConfigureAwait(false);
            progress.Phase = StepPhase.RollbackCheck;
            held?.HoldChecks();
            await instance.PreCheckAsync(context, cancellationToken).ConfigureAwait(false);
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
                : new StepwiseException(database.Kind, $"{during} failed: {database.Message} {aftermath}", ex);
        }

        // The reason ends a sentence of ours: a message's own full stop would double it.
        var reason = (ex is MigrationCheckException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}").TrimEnd().TrimEnd('.');
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

    private static string PhaseName(StepPhase phase) => phase switch
    {
        StepPhase.PreCheck => "PreCheck",
        StepPhase.Up => "Up",
        StepPhase.Validate => "Validate",
        StepPhase.Down => "Down",
        StepPhase.RollbackCheck => "the rollback check",
        StepPhase.Record => "the record",
        StepPhase.Backup => "the backup",
        _ => "the start",
    };

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

    private async Task TryRecordFailureAsync(StepRecord record)
    {
        try
        {
            await session.RecordFailureAsync(record, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The original failure matters more than its bookkeeping; say so and keep the original error.
            LogBookkeepingFailed(record.Start.Migration.Name, ex.Message);
        }
    }

    private sealed class StepProgress
    {
        public StepPhase Phase { get; set; } = StepPhase.Start;
    }

    private enum StepPhase
    {
        Start,
        Backup,
        PreCheck,
        Up,
        Validate,
        Down,
        RollbackCheck,
        Record,
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Action} {Version} {Migration} [{Key}]")]
    private partial void LogStepStarted(string action, string version, string migration, string key);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Migration} ran its checks and changes in {ElapsedMs:F1} ms; next: {Next}")]
    private partial void LogStepRan(string migration, double elapsedMs, string next);

    [LoggerMessage(Level = LogLevel.Information, Message = "Done {Migration} in {ElapsedMs:F0} ms")]
    private partial void LogStepFinished(string migration, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rehearsing {Project} (policy dry_run_first): {Rehearsable} step(s) in a transaction that will be rolled back, {Skipped} not rehearsable")]
    private partial void LogRehearsalStarted(string project, int rehearsable, int skipped);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rehearsal of {Project} passed: {Summary}")]
    private partial void LogRehearsalPassed(string project, string summary);

    [LoggerMessage(Level = LogLevel.Information, Message = "Backed up {Source} to {Backup} ({Rows} rows)")]
    private partial void LogBackupTaken(string source, string backup, long rows);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record {What} in history: {Error}")]
    private partial void LogBookkeepingFailed(string what, string error);
}
