using Microsoft.Extensions.Logging;
using Stepwise.Catalog;
using Stepwise.Planning;
using Stepwise.State;

namespace Stepwise.Execution;

/// <summary>
/// One run of one project in one session: read the state, plan, take the lock, read again, resume what a stopped runner
/// left, check requirements and drift, then hand the steps to the <see cref="StepExecutor"/> and close the audit entry.
/// Repair runs here too, under the same lock.
/// </summary>
/// <remarks>
/// State is read only after the project's lock is held, so a second runner started at the same time waits, then finds
/// the work done and has nothing to do: each migration is applied exactly once.
/// </remarks>
internal sealed partial class RunCoordinator
{
    private readonly IDatabaseEngine _engine;
    private readonly IDatabaseSession _session;
    private readonly ProjectCatalog _catalog;
    private readonly RunOptions _options;
    private readonly ILogger _logger;
    private readonly StepExecutor _executor;
    private readonly UnfinishedStepResolver _resolver;
    private readonly ProjectLockWaiter _locks;
    private readonly Observing.RunEvents _events;
    private readonly TimeProvider _time;
    private readonly Redaction _redaction;

    public RunCoordinator(IDatabaseEngine engine, IDatabaseSession session, ProjectCatalog catalog, RunOptions options, MigrationFactory migrations,
        ILogger logger, TimeProvider time, Observing.RunEvents? events = null)
    {
        _events = events ?? Observing.RunEvents.None;
        _time = time;
        _engine = engine;
        _session = session;
        _catalog = catalog;
        _options = options;
        _logger = logger;
        _redaction = Redaction.Of(options.Session.Endpoint);
        _executor = new StepExecutor(session, migrations, logger, time, catalog.Policies.LockTimeout, _events, _redaction);
        _resolver = new UnfinishedStepResolver(session, migrations);
        _locks = new ProjectLockWaiter(logger, time, _events);
    }

    private string Project => _catalog.Name;

    public async Task<RunResult> RunAsync(PlanRequest request, CancellationToken cancellationToken)
    {
        if (_options.DryRun)
        {
            var observed = await _session.ReadStateAsync(Project, cancellationToken).ConfigureAwait(false);
            var dryPlan = await PlanAsync(observed, request, cancellationToken).ConfigureAwait(false);
            var dryResult = new RunResult(dryPlan, 0, dryPlan.Target, DryRun: true, CheckDrift(observed));
            var dryRun = NewRun(dryPlan.Operation.ToString().ToLowerInvariant(), dryPlan.Target?.ToString(), dryPlan.From?.ToString());
            _events.DryRunPlanned(new Observing.RunContext(dryRun, _engine.Name, _options.Session.Endpoint.Database, dryPlan.Steps.Count));
            return dryResult;
        }

        // Most runs find the database already at the target: one round trip, no lock, no schema work. Anything else (or
        // any doubt) goes the locked way, where the state is read again.
        var first = await _session.ReadStateAsync(Project, cancellationToken).ConfigureAwait(false);
        var (done, firstPlan) = await AlreadyThereAsync(first, request, cancellationToken).ConfigureAwait(false);
        if (done is not null)
        {
            return done;
        }

        if (!first.SchemaCurrent)
        {
            await StateStoreEvolver.PrepareAsync(_session, _session.Target, _logger, cancellationToken).ConfigureAwait(false);
        }

        await using var projectLock = await _locks.AcquireAsync(_session, _session.Target, Project, _options.LockTimeout, cancellationToken).ConfigureAwait(false);
        var state = await ReadLockedStateAsync(cancellationToken).ConfigureAwait(false);
        LogLockedState(Project, state.CurrentVersion ?? "none", state.Applied.Count, state.Failed.Count, state.Interrupted.Count, state.Unrecorded.Count);
        if (request.Operation != Operation.Rollback && state.Interrupted.Count > 0)
        {
            state = await ResumeAsync(state, cancellationToken).ConfigureAwait(false);
        }

        // The plan is made again only when the records moved between the two reads (another runner, a resumed step).
        var plan = firstPlan is not null && SameRecords(first, state)
            ? await ConfirmAsync(firstPlan, request, cancellationToken).ConfigureAwait(false)
            : await PlanAsync(state, request, cancellationToken).ConfigureAwait(false);
        LogPlanned(Project, plan.Steps.Count, string.Join(" -> ", plan.Route));
        var drift = CheckDrift(state);
        if (plan.NothingToDo)
        {
            LogNothingToDo(Project, plan.Target?.ToString() ?? "not installed");
            return new RunResult(plan, 0, plan.Target, DryRun: false, drift);
        }

        await ExecuteAsync(plan, cancellationToken).ConfigureAwait(false);
        return new RunResult(plan, plan.Steps.Count, plan.Target, DryRun: false, drift);
    }

    // The requirements on other projects, the plan, and the engine's fitness for the plan's steps: in that order, as a
    // run meets them.
    private async Task<MigrationPlan> PlanAsync(DatabaseState state, PlanRequest request, CancellationToken cancellationToken)
    {
        await CheckRequirementsAsync(request.Operation, cancellationToken).ConfigureAwait(false);
        var plan = MigrationPlanner.Plan(_catalog, state, request);
        RequireCompatible(plan);
        return plan;
    }

    // The plan from the first, unlocked read. Nothing to do (with the runner's schema current): the run is done. A usage
    // error, or a rollback in a database Stepwise never touched, cannot change by waiting for the lock: refused before
    // anything is created. Any other refusal is decided again under the lock, where another runner may have changed the
    // state. Steps for another engine are refused before the runner's schema or lock is touched.
    private async Task<(RunResult? Done, MigrationPlan? Plan)> AlreadyThereAsync(DatabaseState state, PlanRequest request, CancellationToken cancellationToken)
    {
        MigrationPlan plan;
        try
        {
            plan = MigrationPlanner.Plan(_catalog, state, request);
        }
        catch (StepwiseException ex) when (ex.Kind is not (FailureKind.Usage or FailureKind.Catalog)
            && !(request.Operation == Operation.Rollback && !state.Initialized))
        {
            return (null, null);
        }

        RequireCompatible(plan);
        if (!plan.NothingToDo || !state.SchemaCurrent)
        {
            return (null, plan);
        }

        var done = new RunResult(plan, 0, plan.Target, DryRun: false, CheckDrift(state));
        await CheckRequirementsAsync(request.Operation, cancellationToken).ConfigureAwait(false);
        LogNothingToDo(Project, plan.Target?.ToString() ?? "not installed");
        return (done, plan);
    }

    // The first plan still holds under the lock; the requirements on other projects are checked there, where they count.
    private async Task<MigrationPlan> ConfirmAsync(MigrationPlan plan, PlanRequest request, CancellationToken cancellationToken)
    {
        await CheckRequirementsAsync(request.Operation, cancellationToken).ConfigureAwait(false);
        return plan;
    }

    // Whether the locked read found what the first read found: the version and the applied migrations (key and checksum,
    // in order), and nothing failed, unfinished or unrecorded on either side. The plan depends on nothing else.
    private static bool SameRecords(DatabaseState first, DatabaseState locked)
    {
        if (first.CurrentVersion != locked.CurrentVersion || first.Initialized != locked.Initialized || first.Applied.Count != locked.Applied.Count
            || first.HasUnfinishedSteps || locked.HasUnfinishedSteps || first.Unrecorded.Count > 0 || locked.Unrecorded.Count > 0)
        {
            return false;
        }

        for (var i = 0; i < first.Applied.Count; i++)
        {
            if (first.Applied[i].Key != locked.Applied[i].Key || first.Applied[i].Checksum != locked.Applied[i].Checksum)
            {
                return false;
            }
        }

        return true;
    }

    private async Task ExecuteAsync(MigrationPlan plan, CancellationToken cancellationToken)
    {
        if (_session is IStepRequirements requirements && plan.Steps.Select(s => requirements.Refusal(s.Migration)).FirstOrDefault(static r => r is not null) is { } refusal)
        {
            throw new StepwiseException(FailureKind.Usage, $"{refusal}; nothing was run.");
        }

        if (_catalog.Policies.BackupBeforeUpgrade && plan.Operation == Operation.Upgrade && _session is not IBackups
            && plan.Steps.FirstOrDefault(static s => s.Migration.Changes.Count > 0) is { } copied)
        {
            throw new StepwiseException(FailureKind.Usage,
                $"Policy backup_before_upgrade asks for a copy of {string.Join(", ", copied.Migration.Changes)} before {copied.Migration.Name}, but " +
                $"--database-type {_engine.Name} takes no backups. Turn the policy off for this database, or take the backup outside Stepwise; nothing was run.");
        }

        var run = NewRun(plan.Operation.ToString().ToLowerInvariant(), plan.Target?.ToString(), plan.From?.ToString());
        var observed = new Observing.RunContext(run, _engine.Name, _options.Session.Endpoint.Database, plan.Steps.Count);
        if (_catalog.Policies.DryRunFirst && plan.Operation != Operation.Rollback)
        {
            await _executor.RehearseAsync(run, plan, cancellationToken, observed).ConfigureAwait(false);
        }

        var auditId = await _session.BeginRunAsync(run, cancellationToken).ConfigureAwait(false);
        using var runScope = _logger.BeginScope(new Dictionary<string, object?>
        {
            ["RunId"] = run.RunId, ["Project"] = run.Project, ["Operation"] = run.Operation, ["Environment"] = run.Environment,
        });
        LogPlanStarted(run.Operation, Project, plan.From?.ToString() ?? "nothing", plan.Target?.ToString() ?? "nothing", plan.Steps.Count);
        var startedAt = _time.GetTimestamp();
        _events.RunStarted(observed);

        try
        {
            var version = plan.From;
            var backup = _catalog.Policies.BackupBeforeUpgrade && plan.Operation == Operation.Upgrade;
            foreach (var (position, step) in plan.Steps.Index())
            {
                await _executor.ExecuteAsync(run, step, backup, cancellationToken, observed, position + 1).ConfigureAwait(false);
                version = step.VersionAfter ?? version;
            }

            // A version whose migrations all belong to another path still has to be recorded as reached; an install
            // undone entirely leaves no project behind.
            if (version != plan.Target || plan.Target is null)
            {
                await _session.SetVersionAsync(Project, plan.Target, cancellationToken).ConfigureAwait(false);
            }

            await _session.EndRunAsync(auditId, RunOutcome.Succeeded, null, CancellationToken.None).ConfigureAwait(false);
            LogPlanFinished(Project, plan.Target?.ToString() ?? "not installed", plan.Steps.Count);
            _events.RunFinished(observed, RunOutcome.Succeeded, _time.GetElapsedTime(startedAt), null);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            var explained = Explained(ex);
            await _executor.TryEndRunAsync(auditId, RunOutcome.Failed, FailureMessage(ex, explained)).ConfigureAwait(false);
            var kind = ex is OperationCanceledException ? FailureKind.Cancelled : explained?.Kind ?? FailureKind.MigrationFailed;
            _events.RunFinished(observed, RunOutcome.Failed, _time.GetElapsedTime(startedAt), kind);
            throw;
        }
    }

    // A run of this project, in this environment, by whoever the options name.
    private RunRecord NewRun(string operation, string? targetVersion, string? fromVersion) =>
        RunRecord.Start(Project, operation, targetVersion, fromVersion, _options.Environment) with { Who = _options.Who };

    private StepwiseException? Explained(Exception ex) => ex as StepwiseException ?? (ex is OperationCanceledException ? null : _session.Explain(ex));

    // What the audit entry says of a failed run.
    private static string FailureMessage(Exception ex, StepwiseException? explained) =>
        ex is StepwiseException or OperationCanceledException ? ex.Message : explained?.Message ?? $"{ex.GetType().Name}: {ex.Message}";

    private Task<DatabaseState> ReadLockedStateAsync(CancellationToken cancellationToken) => ReadFullStateAsync(_session, Project, cancellationToken);

    /// <summary>
    /// The state, and whether the history knows of applied migrations whose record was deleted: what a run reads under
    /// the lock, and what status reports.
    /// </summary>
    public static async Task<DatabaseState> ReadFullStateAsync(ILedger ledger, string project, CancellationToken cancellationToken)
    {
        var state = await ledger.ReadStateAsync(project, cancellationToken).ConfigureAwait(false);
        var unrecorded = await ledger.ReadUnrecordedAsync(project, cancellationToken).ConfigureAwait(false);
        return unrecorded.Count == 0 ? state : state with { Unrecorded = unrecorded };
    }

    // spec.requires: other projects in the same database must be at a compatible version before this one moves up.
    private async Task CheckRequirementsAsync(Operation operation, CancellationToken cancellationToken)
    {
        var config = _catalog.Config;
        if (config is null || config.Requires.Count == 0 || operation == Operation.Rollback)
        {
            return;
        }

        var projects = await _session.ListProjectsAsync(cancellationToken).ConfigureAwait(false);
        var problems = new List<string>();
        foreach (var (project, range) in config.Requires)
        {
            var text = config.RequiresText[project];
            if (!projects.TryGetValue(project, out var version) || version is null)
            {
                problems.Add($"{Project} requires {project} {text}, but {project} is not installed in this database");
            }
            else if (!Semver.SemVersion.TryParse(version, Semver.SemVersionStyles.AllowV, out var installed) || !range.Contains(installed))
            {
                problems.Add($"{Project} requires {project} {text}, but the database has {project} at {version}");
            }
        }

        if (problems.Count > 0)
        {
            throw new StepwiseException(FailureKind.InvalidState,
                string.Join("; ", problems) + ". Migrate the required projects first; nothing was changed.");
        }
    }

    private IReadOnlyList<DriftEntry> CheckDrift(DatabaseState state)
    {
        var drift = DriftDetector.Detect(_catalog, state);
        _events.DriftFound(Project, drift);

        // A deleted record is not a code change to accept for one run: the plan would apply that migration again, and a
        // rollback would skip it. Only repair, which records it again from the history, clears it.
        var refused = _options.AllowDrift ? drift.Where(static d => d.Kind == DriftKind.Unrecorded).ToArray() : drift;
        if (refused.Count > 0)
        {
            throw new StepwiseException(FailureKind.Drift,
                $"Applied migrations of {Project} differ from the code; nothing was run:" + Environment.NewLine +
                string.Join(Environment.NewLine, refused.Select(static d => d.Kind switch
                {
                    DriftKind.Changed => $"  - {d.Name} ({d.Key}) changed after it was applied",
                    DriftKind.Missing => $"  - {d.Name} ({d.Key}) was applied but is no longer in the code",
                    _ => $"  - {d.Name} ({d.Key}) is applied according to the history, but its applied record was deleted",
                })) + Environment.NewLine +
                (refused.All(static d => d.Kind == DriftKind.Unrecorded)
                    ? "Run 'repair': it records the migration again from the history (--allow-drift does not cover a deleted record)."
                    : "Restore the applied code, or accept the change with 'repair' (or run once with --allow-drift)."));
        }

        return drift;
    }

    // Only the plan's steps: their classes are about to be loaded anyway, and no other class of the project is.
    private void RequireCompatible(MigrationPlan plan) => RequireCompatible(_engine, plan);

    /// <exception cref="StepwiseException">A step is written for another engine's context (kind <see cref="FailureKind.Usage"/>).</exception>
    public static void RequireCompatible(IDatabaseEngine engine, MigrationPlan plan)
    {
        var foreign = plan.Steps.Select(static s => s.Migration).Where(m => m.ContextType is { } context && !context.IsAssignableFrom(engine.ContextType)).ToArray();
        if (foreign.Length > 0)
        {
            throw new StepwiseException(FailureKind.Usage,
                $"--database-type {engine.Name} provides {engine.ContextType.Name}, but {string.Join(", ", foreign.Select(static m => $"{m.Name} expects {m.ContextType!.Name}"))}. " +
                "Choose the database type the migrations are written for.");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Project} is at {Version}: nothing to do")]
    private partial void LogNothingToDo(string project, string version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Starting {Operation} of {Project}: {From} -> {Target}, {Steps} step(s)")]
    private partial void LogPlanStarted(string operation, string project, string from, string target, int steps);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Project} is at {Version} ({Steps} step(s) run)")]
    private partial void LogPlanFinished(string project, string version, int steps);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Holding the lock of {Project}; it records version {Version}, {Applied} applied, {Failed} failed, {Unfinished} unfinished and {Unrecorded} unrecorded migration(s)")]
    private partial void LogLockedState(string project, string version, int applied, int failed, int unfinished, int unrecorded);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Planned {Steps} step(s) for {Project} along the route {Route}")]
    private partial void LogPlanned(string project, int steps, string route);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Migration} [{Key}] did not finish in an earlier run: {Reason}")]
    private partial void LogResumed(string migration, string key, string reason);
}
