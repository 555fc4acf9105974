using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Stepwise.Execution;

namespace Stepwise.Observing;

/// <summary>
/// Metrics and traces of runs and steps, from one <see cref="Meter"/> and one <see cref="ActivitySource"/> named
/// <see cref="Name"/>. Instruments cost next to nothing until a listener (an OpenTelemetry exporter) subscribes; the
/// runner subscribes one when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set. Attribute names follow OpenTelemetry's
/// semantic conventions where one exists (<c>db.system.name</c>, <c>db.namespace</c>, <c>error.type</c>,
/// <c>deployment.environment.name</c>); the rest are <c>stepwise.*</c>. No attribute carries SQL, a connection
/// string or a message text: only names, versions and kinds.
/// </summary>
public sealed class StepwiseTelemetry : IRunObserver
{
    /// <summary>The name of the meter and of the activity source.</summary>
    public const string Name = "Stepwise";

    private static readonly string? Version = typeof(StepwiseTelemetry).Assembly.GetName().Version?.ToString();
    private static readonly Meter Meter = new(Name, Version);
    private static readonly ActivitySource Source = new(Name, Version);

    // Seconds, from a lock wait of a few milliseconds to a backfill of half an hour: the SDK's default buckets are
    // meant for milliseconds and would put nearly every run in the first one.
    private static readonly InstrumentAdvice<double> Seconds = new()
    {
        HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600],
    };

    private static readonly Histogram<double> RunDuration = Meter.CreateHistogram("stepwise.run.duration", "s", "How long runs that changed the database took.", tags: null, Seconds);
    private static readonly Counter<long> Runs = Meter.CreateCounter<long>("stepwise.runs", "{run}", "Runs that changed the database, by outcome.");
    private static readonly Histogram<double> StepDuration = Meter.CreateHistogram("stepwise.step.duration", "s", "How long each step took, to its commit or failure.", tags: null, Seconds);
    private static readonly Counter<long> Steps = Meter.CreateCounter<long>("stepwise.steps", "{step}", "Steps run, by direction and outcome.");
    private static readonly Counter<long> Rollbacks = Meter.CreateCounter<long>("stepwise.rollbacks", "{step}", "Steps undone by their Down.");
    private static readonly Histogram<double> LockWait = Meter.CreateHistogram("stepwise.lock.wait.duration", "s", "How long a run waited for its project's lock.", tags: null, Seconds);
    private static readonly Histogram<double> Blocking = Meter.CreateHistogram("stepwise.step.blocking.duration", "s",
        "For steps that other sessions waited on, the longest wait seen.", tags: null, Seconds);
    private static readonly Counter<long> Drift = Meter.CreateCounter<long>("stepwise.drift", "{migration}", "Applied migrations found changed or missing in the code.");

    private readonly ConcurrentDictionary<Guid, Activity> _runs = new();
    private readonly ConcurrentDictionary<(Guid, string), Activity> _steps = new();

    /// <inheritdoc />
    public void RunStarted(RunContext run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (Source.StartActivity($"{run.Record.Operation} {run.Record.Project}") is not { } activity)
        {
            return;
        }

        foreach (var tag in RunTags(run))
        {
            activity.SetTag(tag.Key, tag.Value);
        }

        activity.SetTag("stepwise.run.id", run.Record.RunId.ToString());
        activity.SetTag("stepwise.version.from", run.Record.FromVersion);
        activity.SetTag("stepwise.version.to", run.Record.TargetVersion);
        activity.SetTag("stepwise.steps", run.Steps);
        _runs[run.Record.RunId] = activity;
    }

    /// <inheritdoc />
    public void RunFinished(RunContext run, RunOutcome outcome, TimeSpan duration, FailureKind? error)
    {
        ArgumentNullException.ThrowIfNull(run);
        var tags = RunTags(run);
        tags.Add("stepwise.outcome", Outcome(outcome));
        AddError(ref tags, error);
        RunDuration.Record(duration.TotalSeconds, tags);
        Runs.Add(1, tags);
        if (_runs.TryRemove(run.Record.RunId, out var activity))
        {
            Finish(activity, error);
        }
    }

    /// <inheritdoc />
    public void StepStarted(RunContext run, StepStart step)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(step);
        if (Source.StartActivity($"{Direction(step.Direction)} {step.Migration.Name}") is not { } activity)
        {
            return;
        }

        activity.SetTag("db.system.name", run.Engine);
        activity.SetTag("stepwise.project", run.Record.Project);
        activity.SetTag("stepwise.migration", step.Migration.Name);
        activity.SetTag("stepwise.migration.version", step.Migration.Version.ToString());
        activity.SetTag("stepwise.migration.checksum", step.Migration.Checksum);
        activity.SetTag("stepwise.direction", Direction(step.Direction));
        activity.SetTag("stepwise.transactional", step.Migration.Transactional);
        _steps[(run.Record.RunId, step.Migration.Key)] = activity;
    }

    /// <inheritdoc />
    public void StepFinished(RunContext run, StepRecord record, FailureKind? error)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(record);
        var direction = Direction(record.Start.Direction);
        var tags = new TagList
        {
            { "db.system.name", run.Engine },
            { "stepwise.project", run.Record.Project },
            { "stepwise.direction", direction },
            { "stepwise.outcome", record.Status.ToString().ToLowerInvariant() },
        };
        AddError(ref tags, error);
        StepDuration.Record(record.Duration.TotalSeconds, tags);
        Steps.Add(1, tags);
        if (record.Start.Direction == MigrationDirection.Down && record.Status == StepStatus.Succeeded)
        {
            Rollbacks.Add(1, new TagList { { "db.system.name", run.Engine }, { "stepwise.project", run.Record.Project } });
        }

        if (record.Impact is { Watched: true, BlockedSessions: > 0 } impact)
        {
            Blocking.Record(impact.LongestBlocked.TotalSeconds, new TagList { { "db.system.name", run.Engine }, { "stepwise.project", run.Record.Project } });
        }

        if (_steps.TryRemove((run.Record.RunId, record.Start.Migration.Key), out var activity))
        {
            if (record.Impact is { Watched: true } seen)
            {
                activity.SetTag("stepwise.blocked_sessions", seen.BlockedSessions);
                activity.SetTag("stepwise.blocked.longest", seen.LongestBlocked.TotalSeconds);
                activity.SetTag("stepwise.lock.waited.longest", seen.LongestWaited.TotalSeconds);
            }

            Finish(activity, error);
        }
    }

    /// <inheritdoc />
    public void LockAcquired(string project, TimeSpan waited) =>
        LockWait.Record(waited.TotalSeconds, new TagList { { "stepwise.project", project } });

    /// <inheritdoc />
    public void DriftFound(string project, IReadOnlyList<Planning.DriftEntry> drift)
    {
        ArgumentNullException.ThrowIfNull(drift);
        Drift.Add(drift.Count, new TagList { { "stepwise.project", project } });
    }

    private static TagList RunTags(RunContext run)
    {
        var tags = new TagList
        {
            { "db.system.name", run.Engine },
            { "stepwise.project", run.Record.Project },
            { "stepwise.operation", run.Record.Operation },
        };
        if (run.Database is not null)
        {
            tags.Add("db.namespace", run.Database);
        }

        if (run.Record.Environment is not null)
        {
            tags.Add("deployment.environment.name", run.Record.Environment);
        }

        return tags;
    }

    private static void AddError(ref TagList tags, FailureKind? error)
    {
        if (error is { } kind)
        {
            tags.Add("error.type", kind.ToString());
        }
    }

    private static void Finish(Activity activity, FailureKind? error)
    {
        if (error is { } kind)
        {
            activity.SetTag("error.type", kind.ToString());
            activity.SetStatus(ActivityStatusCode.Error, kind.ToString());
        }

        activity.Stop();
    }

    private static string Outcome(RunOutcome outcome) => outcome == RunOutcome.Succeeded ? "succeeded" : "failed";

    private static string Direction(MigrationDirection direction) => direction == MigrationDirection.Up ? "up" : "down";
}
