using Stepwise.Execution;

namespace Stepwise.Observing;

/// <summary>Turns run and step events into audit entries for every registered sink.</summary>
/// <param name="sinks">Where the entries go.</param>
/// <param name="who">Who runs, and which build.</param>
/// <param name="time">The clock.</param>
public sealed class AuditTrail(IEnumerable<IAuditSink> sinks, AuditActor who, TimeProvider time) : IRunObserver
{
    private readonly IAuditSink[] _sinks = [.. sinks];

    /// <inheritdoc />
    public void RunStarted(RunContext run) => Send(Entry("run.started", run) with { Steps = run.Steps });

    /// <inheritdoc />
    public void RehearsalFinished(RunContext run, RunOutcome outcome, string summary) =>
        Send(Entry("rehearsal.finished", run) with
        {
            Steps = run.Steps,
            Outcome = outcome == RunOutcome.Succeeded ? "succeeded" : "failed",
            Error = outcome == RunOutcome.Succeeded ? null : Bounded(summary),
        });

    /// <inheritdoc />
    public void DryRunPlanned(RunContext run) => Send(Entry("run.dry-run", run) with { Steps = run.Steps });

    /// <inheritdoc />
    public void RunFinished(RunContext run, RunOutcome outcome, TimeSpan duration, FailureKind? error) =>
        Send(Entry("run.finished", run) with
        {
            Steps = run.Steps,
            DurationSeconds = duration.TotalSeconds,
            Outcome = outcome == RunOutcome.Succeeded ? "succeeded" : "failed",
            ErrorType = error?.ToString(),
        });

    /// <inheritdoc />
    public void StepFinished(RunContext run, StepRecord record, FailureKind? error)
    {
        ArgumentNullException.ThrowIfNull(record);
        var migration = record.Start.Migration;
        Send(Entry("step.finished", run) with
        {
            DurationSeconds = record.Duration.TotalSeconds,
            Outcome = record.Status.ToString().ToLowerInvariant(),
            ErrorType = error?.ToString(),
            Error = Bounded(record.Error),
            Migration = migration.Name,
            MigrationVersion = migration.Version.ToString(),
            Direction = record.Start.Direction == MigrationDirection.Up ? "up" : "down",
            Checksum = migration.Checksum,
            Commands = record.Commands,
            BlockedSessions = record.Impact is { Watched: true } watched ? watched.BlockedSessions : null,
            LongestBlockedSeconds = record.Impact is { Watched: true } seen ? seen.LongestBlocked.TotalSeconds : null,
            TableSizes = record.Impact is { TableSizes.Count: > 0 } sized ? sized.TableSizes : null,
        });
    }

    private AuditEntry Entry(string kind, RunContext run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var record = run.Record;
        return new AuditEntry(kind, record.RunId, record.Project, record.Operation, record.FromVersion, record.TargetVersion, record.Environment,
            run.Engine, run.Database, who, time.GetUtcNow());
    }

    // Every sink gets the entry even when one before it throws; the first failure is then passed on, to be logged.
    private void Send(AuditEntry entry)
    {
        Exception? first = null;
        foreach (var sink in _sinks)
        {
            try
            {
                sink.Write(entry);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                first ??= ex;
            }
        }

        if (first is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
        }
    }

    private static string? Bounded(string? error) => error is null ? null : BoundedText.Cut(error, AuditEntry.MaxErrorLength);
}
