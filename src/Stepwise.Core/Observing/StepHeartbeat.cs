using Microsoft.Extensions.Logging;
using Stepwise.Execution;

namespace Stepwise.Observing;

/// <summary>
/// Says a long step is alive: while a step runs, a log line every <see cref="Interval"/> names it, its place in the
/// run and how long it has taken, so that neither a person at a terminal nor a Job's log reader takes a slow step for a
/// hung one. A step shorter than the interval writes nothing.
/// </summary>
public sealed partial class StepHeartbeat : IRunObserver, IDisposable
{
    /// <summary>The default time between two lines.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(10);

    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();

    // One timer per running step, by run: a host may run several orchestrators at once with one observer.
    private readonly Dictionary<Guid, ITimer> _timers = [];

    /// <summary>A heartbeat that writes to <paramref name="logger"/> every <paramref name="interval"/> (default <see cref="DefaultInterval"/>).</summary>
    public StepHeartbeat(ILogger<StepHeartbeat> logger, TimeProvider time, TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(time);
        _logger = logger;
        _time = time;
        Interval = interval ?? DefaultInterval;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Interval, TimeSpan.Zero, nameof(interval));
    }

    /// <summary>The time between two lines.</summary>
    public TimeSpan Interval { get; }

    /// <inheritdoc />
    public void StepStarted(RunContext run, StepStart step)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(step);
        var started = _time.GetTimestamp();
        var (name, position, steps) = (step.Migration.Name, step.Position, run.Steps);

        // The timer captures the step's flow, so its lines carry the run's log fields. A tick that comes after the step
        // ended (its timer replaced or stopped) writes nothing.
        var runId = run.Record.RunId;
        ITimer? timer = null;
        timer = _time.CreateTimer(_ =>
        {
            lock (_gate)
            {
                if (_timers.TryGetValue(runId, out var current) && ReferenceEquals(current, timer))
                {
                    LogStillRunning(name, position, steps, (long)_time.GetElapsedTime(started).TotalSeconds);
                }
            }
        }, null, Interval, Interval);
        lock (_gate)
        {
            if (_timers.Remove(runId, out var previous))
            {
                previous.Dispose();
            }

            _timers[runId] = timer;
        }
    }

    /// <inheritdoc />
    public void StepFinished(RunContext run, StepRecord record, FailureKind? error)
    {
        ArgumentNullException.ThrowIfNull(run);
        Stop(run.Record.RunId);
    }

    /// <inheritdoc />
    public void RunFinished(RunContext run, RunOutcome outcome, TimeSpan duration, FailureKind? error)
    {
        ArgumentNullException.ThrowIfNull(run);
        Stop(run.Record.RunId);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var timer in _timers.Values)
            {
                timer.Dispose();
            }

            _timers.Clear();
        }
    }

    private void Stop(Guid runId)
    {
        lock (_gate)
        {
            if (_timers.Remove(runId, out var timer))
            {
                timer.Dispose();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Still running {Migration}, step {Position} of {Steps}: {ElapsedSeconds} s so far")]
    private partial void LogStillRunning(string migration, int position, int steps, long elapsedSeconds);
}
