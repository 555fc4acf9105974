using Stepwise.Execution;
using Stepwise.Planning;

namespace Stepwise.Observing;

/// <summary>
/// Told what a run does as it does it: the one seam that metrics, traces and audit sinks consume. Every method has an
/// empty default, so an observer implements only what it needs. Observers run on the run's own flow and must be quick;
/// one that throws is logged and skipped, and never fails or stops the run.
/// </summary>
public interface IRunObserver
{
    /// <summary>A run that will change the database began: its audit entry is open and its first step is next.</summary>
    void RunStarted(RunContext run)
    {
    }

    /// <summary>The run ended; <paramref name="error"/> is the failure's kind when it failed.</summary>
    void RunFinished(RunContext run, RunOutcome outcome, TimeSpan duration, FailureKind? error)
    {
    }

    /// <summary>
    /// A dry run (<c>--dry-run</c>) planned <see cref="RunContext.Steps"/> steps and changed nothing; no
    /// <see cref="RunStarted"/> or step event follows.
    /// </summary>
    void DryRunPlanned(RunContext run)
    {
    }

    /// <summary>
    /// The rehearsal of policy <c>dry_run_first</c> ended, before the run itself starts: <paramref name="outcome"/>, and
    /// what it found (<paramref name="summary"/>: the steps rehearsed, or the failure).
    /// </summary>
    void RehearsalFinished(RunContext run, RunOutcome outcome, string summary)
    {
    }

    /// <summary>A step is about to run (its transaction, if any, is not open yet).</summary>
    void StepStarted(RunContext run, StepStart step)
    {
    }

    /// <summary>A step ended: succeeded, failed, or interrupted; <paramref name="error"/> is the failure's kind when it did not succeed.</summary>
    void StepFinished(RunContext run, StepRecord record, FailureKind? error)
    {
    }

    /// <summary>The run holds the project's lock, after waiting <paramref name="waited"/> for it.</summary>
    void LockAcquired(string project, TimeSpan waited)
    {
    }

    /// <summary>The applied migrations no longer match the code (checksums, missing classes).</summary>
    void DriftFound(string project, IReadOnlyList<DriftEntry> drift)
    {
    }
}

/// <summary>What an observer knows about the run a step belongs to.</summary>
/// <param name="Record">The run's record (id, project, operation, versions, environment, host).</param>
/// <param name="Engine">The engine's name: <c>postgresql</c>, <c>mongodb</c>.</param>
/// <param name="Database">The database the run changes, when known.</param>
/// <param name="Steps">How many steps the plan has.</param>
public sealed record RunContext(RunRecord Record, string Engine, string? Database, int Steps);

/// <summary>
/// An engine whose database client traces its own commands (Npgsql does): the runner exports those spans too, as
/// children of the step that sent them.
/// </summary>
public interface IClientTracing
{
    /// <summary>The names of the client's <see cref="System.Diagnostics.ActivitySource"/>s.</summary>
    IReadOnlyList<string> ActivitySources { get; }
}
