using Microsoft.Extensions.Logging;
using Stepwise.Execution;
using Stepwise.Planning;

namespace Stepwise.Observing;

/// <summary>
/// Hands each event to every observer. An observer that throws is logged once per event and skipped: what watches a
/// migration never fails it.
/// </summary>
internal sealed partial class RunEvents(IReadOnlyList<IRunObserver> observers, ILogger logger)
{
    public static RunEvents None { get; } = new([], Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

    public void RunStarted(RunContext run) => Each(o => o.RunStarted(run));

    public void RunFinished(RunContext run, RunOutcome outcome, TimeSpan duration, FailureKind? error) => Each(o => o.RunFinished(run, outcome, duration, error));

    public void DryRunPlanned(RunContext run) => Each(o => o.DryRunPlanned(run));

    public void RehearsalFinished(RunContext run, RunOutcome outcome, string summary) => Each(o => o.RehearsalFinished(run, outcome, summary));

    public void StepStarted(RunContext run, StepStart step) => Each(o => o.StepStarted(run, step));

    public void StepFinished(RunContext run, StepRecord record, FailureKind? error) => Each(o => o.StepFinished(run, record, error));

    public void LockAcquired(string project, TimeSpan waited) => Each(o => o.LockAcquired(project, waited));

    public void DriftFound(string project, IReadOnlyList<DriftEntry> drift)
    {
        if (drift.Count > 0)
        {
            Each(o => o.DriftFound(project, drift));
        }
    }

    private void Each(Action<IRunObserver> tell)
    {
        foreach (var observer in observers)
        {
            try
            {
                tell(observer);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogObserverFailed(observer.GetType().Name, ex.GetType().Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Observer {Observer} failed ({Error}); the run goes on without it for this event")]
    private partial void LogObserverFailed(string observer, string error);
}
