using Microsoft.Extensions.Logging;
using Stepwise.Planning;

namespace Stepwise.Execution;

// The rehearsal of policy dry_run_first: the plan's transactional steps, for practice, in a transaction rolled back.
internal sealed partial class StepExecutor
{
    // Runs the transactional steps of the plan, in order, in one transaction that is rolled back: a step that would
    // fail is found before anything is applied. Steps after the first non-transactional one are not rehearsed, because
    // they may depend on what it does.
    public async Task RehearseAsync(RunRecord run, MigrationPlan plan, CancellationToken cancellationToken, Observing.RunContext? observed = null)
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
                try
                {
                    var context = practice.ContextFor(new StepStart(rehearsal, step.Migration, step.Direction));
                    await InvokeAsync(migrations.Create(step.Migration), context, step.Direction, held: null, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not StepwiseException)
                {
                    var (phase, cause) = ex is PhaseFailedException failed ? (failed.Phase, failed.InnerException!) : (StepPhase.Start, ex);
                    failure = Describe(phase, step.Migration, cause, cancellationToken, "Found in the rehearsal (policy dry_run_first): nothing was applied.");
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
        if (observed is not null)
        {
            _events.RehearsalFinished(observed with { Record = rehearsal, Steps = rehearsable.Length }, failure is null ? RunOutcome.Succeeded : RunOutcome.Failed,
                _redaction.Clean(summary)!);
        }

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

    [LoggerMessage(Level = LogLevel.Information, Message = "Rehearsing {Project} (policy dry_run_first): {Rehearsable} step(s) in a transaction that will be rolled back, {Skipped} not rehearsable")]
    private partial void LogRehearsalStarted(string project, int rehearsable, int skipped);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rehearsal of {Project} passed: {Summary}")]
    private partial void LogRehearsalPassed(string project, string summary);
}
