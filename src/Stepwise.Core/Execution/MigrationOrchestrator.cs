using Microsoft.Extensions.Logging;
using Stepwise.Catalog;
using Stepwise.Planning;
using Stepwise.State;
using Stepwise.Versioning;

namespace Stepwise.Execution;

/// <summary>
/// Runs the operations of the CLI against one engine: connect, lock, read state, plan, check drift, execute, record.
/// </summary>
/// <remarks>
/// State is read only after the project's lock is held, so a second runner started at the same time waits, then
/// finds the work done and has nothing to do: each migration is applied exactly once.
/// </remarks>
public sealed partial class MigrationOrchestrator
{
    private readonly ILogger _logger;
    private readonly StepExecutor _executor;
    private readonly UnfinishedStepResolver _resolver;
    private readonly ProjectLockWaiter _locks;

    /// <summary>Creates the orchestrator.</summary>
    /// <param name="services">Creates migration instances (they may take constructor dependencies).</param>
    /// <param name="logger">Receives progress.</param>
    /// <param name="time">The clock; the system clock when <c>null</c>.</param>
    public MigrationOrchestrator(IServiceProvider services, ILogger<MigrationOrchestrator> logger, TimeProvider? time = null)
    {
        _logger = logger;
        _executor = new StepExecutor(services, logger, time ?? TimeProvider.System);
        _locks = new ProjectLockWaiter(logger, time ?? TimeProvider.System);
        _resolver = new UnfinishedStepResolver(_executor);
    }

    /// <summary>Installs, upgrades or rolls back a project; with <see cref="RunOptions.DryRun"/>, only plans.</summary>
    public async Task<RunResult> RunAsync(IDatabaseEngine engine, ProjectCatalog catalog, PlanRequest request, RunOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        MigrationPlanner.CheckRequest(catalog, request);

        return await InSessionAsync(engine, options, session => RunInSessionAsync(engine, session, catalog, request, options, cancellationToken), cancellationToken)
            .ConfigureAwait(false);
    }

    // Every operation's session: failures that are the database's (a lost connection, a missing privilege) are explained
    // as such wherever they happen.
    private static async Task<T> InSessionAsync<T>(IDatabaseEngine engine, RunOptions options, Func<IDatabaseSession, Task<T>> work,
        CancellationToken cancellationToken)
    {
        await using var session = await engine.OpenAsync(options.Session, cancellationToken).ConfigureAwait(false);
        try
        {
            return await work(session).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsUnexplained(ex) && session.Explain(ex) is { } explained)
        {
            throw explained;
        }
    }

    private async Task<RunResult> RunInSessionAsync(IDatabaseEngine engine, IDatabaseSession session, ProjectCatalog catalog, PlanRequest request,
        RunOptions options, CancellationToken cancellationToken)
    {
        if (options.DryRun)
        {
            var observed = await session.ReadStateAsync(catalog.Name, cancellationToken).ConfigureAwait(false);
            await CheckRequirementsAsync(session, catalog, request.Operation, cancellationToken).ConfigureAwait(false);
            var dryPlan = MigrationPlanner.Plan(catalog, observed, request);
            RequireCompatible(engine, dryPlan);
            var dryDrift = CheckDrift(catalog, observed, options);
            return new RunResult(dryPlan, 0, dryPlan.Target, DryRun: true, dryDrift);
        }

        // Most runs find the database already at the target: one round trip, no lock, no schema work. Anything else (or
        // any doubt) goes the locked way, where the state is read again.
        var first = await session.ReadStateAsync(catalog.Name, cancellationToken).ConfigureAwait(false);
        var (done, firstPlan) = AlreadyThere(catalog, first, request, options);
        if (firstPlan is not null)
        {
            // Refused before the runner's schema or lock is touched, when the first read already shows the steps.
            RequireCompatible(engine, firstPlan);
        }

        if (done is not null)
        {
            await CheckRequirementsAsync(session, catalog, request.Operation, cancellationToken).ConfigureAwait(false);
            LogNothingToDo(catalog.Name, done.Plan.Target?.ToString() ?? "not installed");
            return done;
        }

        if (!first.SchemaCurrent)
        {
            await session.PrepareAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var projectLock = await _locks.AcquireAsync(session, session.Target, catalog.Name, options.LockTimeout, cancellationToken).ConfigureAwait(false);

        var state = await ReadLockedStateAsync(session, catalog.Name, cancellationToken).ConfigureAwait(false);
        LogLockedState(catalog.Name, state.CurrentVersion ?? "none", state.Applied.Count, state.Failed.Count, state.Interrupted.Count, state.Unrecorded.Count);
        if (request.Operation != Operation.Rollback && state.Interrupted.Count > 0)
        {
            state = await ResumeAsync(session, catalog, state, options, cancellationToken).ConfigureAwait(false);
        }

        await CheckRequirementsAsync(session, catalog, request.Operation, cancellationToken).ConfigureAwait(false);
        var plan = MigrationPlanner.Plan(catalog, state, request);
        RequireCompatible(engine, plan);
        LogPlanned(catalog.Name, plan.Steps.Count, string.Join(" -> ", plan.Route));
        var drift = CheckDrift(catalog, state, options);
        if (plan.NothingToDo)
        {
            LogNothingToDo(catalog.Name, plan.Target?.ToString() ?? "not installed");
            return new RunResult(plan, 0, plan.Target, DryRun: false, drift);
        }

        var run = RunRecord.Start(catalog.Name, plan.Operation.ToString().ToLowerInvariant(), plan.Target?.ToString(), plan.From?.ToString(),
            options.Environment);
        if (catalog.Policies.DryRunFirst && plan.Operation != Operation.Rollback)
        {
            await _executor.RehearseAsync(session, run, plan, cancellationToken).ConfigureAwait(false);
        }

        var auditId = await session.BeginRunAsync(run, cancellationToken).ConfigureAwait(false);
        using var runScope = _logger.BeginScope(new Dictionary<string, object?>
        {
            ["RunId"] = run.RunId, ["Project"] = run.Project, ["Operation"] = run.Operation, ["Environment"] = run.Environment,
        });
        LogPlanStarted(run.Operation, catalog.Name, plan.From?.ToString() ?? "nothing", plan.Target?.ToString() ?? "nothing", plan.Steps.Count);

        try
        {
            var version = plan.From;
            var backup = catalog.Policies.BackupBeforeUpgrade && plan.Operation == Operation.Upgrade;
            foreach (var step in plan.Steps)
            {
                await _executor.ExecuteAsync(session, run, step, backup, cancellationToken).ConfigureAwait(false);
                version = step.VersionAfter ?? version;
            }

            // A version whose migrations all belong to another path still has to be recorded as reached; an install
            // undone entirely leaves no project behind.
            if (version != plan.Target || plan.Target is null)
            {
                await session.SetVersionAsync(catalog.Name, plan.Target, cancellationToken).ConfigureAwait(false);
            }

            await session.EndRunAsync(auditId, RunOutcome.Succeeded, null, CancellationToken.None).ConfigureAwait(false);
            LogPlanFinished(catalog.Name, plan.Target?.ToString() ?? "not installed", plan.Steps.Count);
            return new RunResult(plan, plan.Steps.Count, plan.Target, DryRun: false, drift);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            var message = ex is StepwiseException or OperationCanceledException ? ex.Message : session.Explain(ex)?.Message ?? $"{ex.GetType().Name}: {ex.Message}";
            await _executor.TryEndRunAsync(session, auditId, RunOutcome.Failed, message).ConfigureAwait(false);
            throw;
        }
    }

    // Under the lock: the state, and whether the history knows of applied migrations whose record was deleted.
    private static async Task<DatabaseState> ReadLockedStateAsync(IDatabaseSession session, string project, CancellationToken cancellationToken)
    {
        var state = await session.ReadStateAsync(project, cancellationToken).ConfigureAwait(false);
        var unrecorded = await session.ReadUnrecordedAsync(project, cancellationToken).ConfigureAwait(false);
        return unrecorded.Count == 0 ? state : state with { Unrecorded = unrecorded };
    }

    // Steps a stopped runner left unfinished: each resumes (runs again) or is recorded as finished, as its checks say;
    // one that stopped half-way stops the run and says how to undo it.
    private async Task<DatabaseState> ResumeAsync(IDatabaseSession session, ProjectCatalog catalog, DatabaseState state, RunOptions options,
        CancellationToken cancellationToken)
    {
        var run = RunRecord.Start(catalog.Name, "resume", null, state.CurrentVersion, options.Environment);
        var actions = await _resolver.ResolveAsync(session, catalog, run, state.Interrupted, cancellationToken).ConfigureAwait(false);
        await session.RepairAsync(run, actions, cancellationToken).ConfigureAwait(false);
        foreach (var action in actions)
        {
            LogResumed(action.Name, action.Key, action.Reason ?? "");
        }

        return await ReadLockedStateAsync(session, catalog.Name, cancellationToken).ConfigureAwait(false);
    }

    // Failures Stepwise already explains, and cancellation, pass as they are; anything else may be the database's.
    private static bool IsUnexplained(Exception ex) => ex is not (StepwiseException or OperationCanceledException or OutOfMemoryException);

    /// <summary>Plans without changing anything: the operation is inferred from the state when <paramref name="operation"/> is null.</summary>
    public async Task<(MigrationPlan Plan, IReadOnlyList<DriftEntry> Drift)> PlanAsync(
        IDatabaseEngine engine, ProjectCatalog catalog, Operation? operation, ProjectVersion? target, ProjectVersion? expectedCurrent, bool deferPostUpgrade,
        RunOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(catalog);
        if (target is not null)
        {
            MigrationPlanner.CheckRequest(catalog, new PlanRequest(Operation.Upgrade, target));
        }

        return await InSessionAsync(engine, options, async session =>
        {
            var state = await session.ReadStateAsync(catalog.Name, cancellationToken).ConfigureAwait(false);
            var resolvedTarget = target ?? catalog.Latest;
            var resolvedOperation = operation ?? (resolvedTarget is null ? Operation.Upgrade : MigrationPlanner.InferOperation(state, resolvedTarget));
            var plan = MigrationPlanner.Plan(catalog, state, new PlanRequest(resolvedOperation, target, expectedCurrent) { DeferPostUpgrade = deferPostUpgrade });
            RequireCompatible(engine, plan);
            return (plan, DriftDetector.Detect(catalog, state));
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reports where the project stands: version, pending migrations, failures and drift. Changes nothing.</summary>
    public async Task<StatusReport> StatusAsync(IDatabaseEngine engine, ProjectCatalog catalog, RunOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(catalog);

        return await InSessionAsync(engine, options, async session =>
        {
            var state = await ReadLockedStateAsync(session, catalog.Name, cancellationToken).ConfigureAwait(false);
            var leftovers = state.HasUnfinishedSteps ? await session.FindLeftoversAsync(cancellationToken).ConfigureAwait(false) : [];
            return Status(catalog, state) with { Leftovers = leftovers };
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Lists the projects the database records, with their versions.</summary>
    public async Task<IReadOnlyDictionary<string, string?>> ListProjectsAsync(IDatabaseEngine engine, RunOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        return await InSessionAsync(engine, options, session => session.ListProjectsAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the project's history, newest first.</summary>
    public async Task<IReadOnlyList<HistoryEntry>> HistoryAsync(IDatabaseEngine engine, string project, int limit, RunOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        return await InSessionAsync(engine, options, session => session.ReadHistoryAsync(project, limit, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Settles failed and interrupted non-transactional steps by their checks (run again, or recorded as finished) and
    /// aligns the records with the code (changed checksums, vanished migrations, deleted applied records). Refuses,
    /// changing nothing, when a step stopped half-way. With <see cref="RunOptions.DryRun"/>, only says what it would do.
    /// </summary>
    public async Task<IReadOnlyList<RepairAction>> RepairAsync(IDatabaseEngine engine, ProjectCatalog catalog, RunOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);

        return await InSessionAsync(engine, options, async session =>
        {
            if (options.DryRun)
            {
                var observed = await ReadLockedStateAsync(session, catalog.Name, cancellationToken).ConfigureAwait(false);
                var preview = RunRecord.Start(catalog.Name, "repair", null, observed.CurrentVersion, options.Environment);
                return await RepairActionsAsync(session, catalog, observed, preview, cancellationToken).ConfigureAwait(false);
            }

            await session.PrepareAsync(cancellationToken).ConfigureAwait(false);
            await using var projectLock = await _locks.AcquireAsync(session, session.Target, catalog.Name, options.LockTimeout, cancellationToken).ConfigureAwait(false);
            var state = await ReadLockedStateAsync(session, catalog.Name, cancellationToken).ConfigureAwait(false);
            var run = RunRecord.Start(catalog.Name, "repair", null, state.CurrentVersion, options.Environment);
            var actions = await RepairActionsAsync(session, catalog, state, run, cancellationToken).ConfigureAwait(false);
            if (actions.Count > 0)
            {
                await session.RepairAsync(run, actions, cancellationToken).ConfigureAwait(false);
            }

            return actions;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Waits until the database records <paramref name="project"/> at <paramref name="minimum"/> or later, reading its
    /// state every two seconds (an unreachable database is read again until the time is up). Returns the version reached.
    /// </summary>
    /// <exception cref="StepwiseException">Still below after <paramref name="timeout"/> (kind <see cref="FailureKind.InvalidState"/>), or the database stayed unreachable (<see cref="FailureKind.Connection"/>).</exception>
    public async Task<ProjectVersion> WaitForVersionAsync(IDatabaseEngine engine, string project, ProjectVersion minimum, TimeSpan timeout, RunOptions options,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(minimum);
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            StepwiseException? unreachable = null;
            DatabaseState? state = null;
            try
            {
                state = await InSessionAsync(engine, options, session => session.ReadStateAsync(project, cancellationToken), cancellationToken).ConfigureAwait(false);
                if (MigrationPlanner.StoredVersion(state) is { } version && version >= minimum)
                {
                    return version;
                }
            }
            catch (StepwiseException ex) when (ex.Kind == FailureKind.Connection)
            {
                unreachable = ex;
            }

            if (DateTimeOffset.UtcNow >= deadline)
            {
                throw unreachable ?? new StepwiseException(FailureKind.InvalidState,
                    $"{project} is still at {state?.CurrentVersion ?? "no installed version"} after {timeout.TotalSeconds:0} s; waited for {minimum} or later. " +
                    "Check the migration Job of the release (its log and status).");
            }

            LogWaiting(project, state?.CurrentVersion ?? (unreachable is null ? "nothing" : "an unreachable database"), minimum.ToString());
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Lists the project's backups.</summary>
    public async Task<IReadOnlyList<BackupRecord>> ListBackupsAsync(IDatabaseEngine engine, string project, RunOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(options);
        return await InSessionAsync(engine, options, session => session.ListBackupsAsync(project, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Drops the project's backups of one version, or all; under the project's lock, so no run is taking one meanwhile.</summary>
    public async Task<IReadOnlyList<BackupRecord>> DropBackupsAsync(IDatabaseEngine engine, string project, ProjectVersion? version, RunOptions options,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(options);
        return await InSessionAsync(engine, options, async session =>
        {
            if (options.DryRun)
            {
                return (await session.ListBackupsAsync(project, cancellationToken).ConfigureAwait(false))
                    .Where(b => version is null || b.Version == version.ToString()).ToList();
            }

            await session.PrepareAsync(cancellationToken).ConfigureAwait(false);
            await using var projectLock = await _locks.AcquireAsync(session, session.Target, project, options.LockTimeout, cancellationToken).ConfigureAwait(false);
            return await session.DropBackupsAsync(project, version, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Builds a status report from a state already read. Pure.</summary>
    public static StatusReport Status(ProjectCatalog catalog, DatabaseState state)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(state);

        MigrationPlan? pending = null;
        string? problem = null;
        if (catalog.Latest is { } latest)
        {
            try
            {
                pending = MigrationPlanner.Plan(catalog, state, new PlanRequest(MigrationPlanner.InferOperation(state, latest), latest));
            }
            catch (StepwiseException ex)
            {
                problem = ex.Message;
            }
        }

        return new StatusReport(catalog.Name, state, catalog.Latest?.ToString(), pending, problem, DriftDetector.Detect(catalog, state));
    }

    // The plan from the first, unlocked read. Nothing to do (with the runner's schema current): the run is done. A usage
    // error, or a rollback in a database Stepwise never touched, cannot change by waiting for the lock: refused before
    // anything is created. Any other refusal is decided again under the lock, where another runner may have changed the state.
    private static (RunResult? Done, MigrationPlan? Plan) AlreadyThere(ProjectCatalog catalog, DatabaseState state, PlanRequest request, RunOptions options)
    {
        try
        {
            var plan = MigrationPlanner.Plan(catalog, state, request);
            return (plan.NothingToDo && state.SchemaCurrent ? new RunResult(plan, 0, plan.Target, DryRun: false, CheckDrift(catalog, state, options)) : null, plan);
        }
        catch (StepwiseException ex) when (ex.Kind is not (FailureKind.Usage or FailureKind.Catalog)
            && !(request.Operation == Operation.Rollback && !state.Initialized))
        {
            return (null, null);
        }
    }

    private async Task<IReadOnlyList<RepairAction>> RepairActionsAsync(IDatabaseSession session, ProjectCatalog catalog, DatabaseState state, RunRecord run,
        CancellationToken cancellationToken)
    {
        var unfinished = state.Failed.Select(static f => new InterruptedMigration(f, MigrationDirection.Up)).Concat(state.Interrupted).ToArray();
        var actions = (await _resolver.ResolveAsync(session, catalog, run, unfinished, cancellationToken).ConfigureAwait(false)).ToList();
        foreach (var drift in DriftDetector.Detect(catalog, state))
        {
            var applied = state.Applied.Concat(state.Unrecorded).First(a => a.Key == drift.Key);
            actions.Add(drift.Kind switch
            {
                DriftKind.Changed => new RepairAction(RepairKind.AlignChecksum, drift.Key, drift.Name, applied.Version, drift.CurrentChecksum),
                DriftKind.Missing => new RepairAction(RepairKind.ForgetMissing, drift.Key, drift.Name, applied.Version, null),
                _ => new RepairAction(RepairKind.RestoreRecord, drift.Key, drift.Name, applied.Version, applied.Checksum,
                    "the history records it as applied, but its applied record was deleted; recorded again from the history"),
            });
        }

        return actions;
    }

    // spec.requires: other projects in the same database must be at a compatible version before this one moves up.
    private static async Task CheckRequirementsAsync(IDatabaseSession session, ProjectCatalog catalog, Operation operation, CancellationToken cancellationToken)
    {
        var config = catalog.Config;
        if (config is null || config.Requires.Count == 0 || operation == Operation.Rollback)
        {
            return;
        }

        var projects = await session.ListProjectsAsync(cancellationToken).ConfigureAwait(false);
        var problems = new List<string>();
        foreach (var (project, range) in config.Requires)
        {
            var text = config.RequiresText[project];
            if (!projects.TryGetValue(project, out var version) || version is null)
            {
                problems.Add($"{catalog.Name} requires {project} {text}, but {project} is not installed in this database");
            }
            else if (!Semver.SemVersion.TryParse(version, Semver.SemVersionStyles.AllowV, out var installed) || !range.Contains(installed))
            {
                problems.Add($"{catalog.Name} requires {project} {text}, but the database has {project} at {version}");
            }
        }

        if (problems.Count > 0)
        {
            throw new StepwiseException(FailureKind.InvalidState,
                string.Join("; ", problems) + ". Migrate the required projects first; nothing was changed.");
        }
    }

    private static IReadOnlyList<DriftEntry> CheckDrift(ProjectCatalog catalog, DatabaseState state, RunOptions options)
    {
        var drift = DriftDetector.Detect(catalog, state);

        // A deleted record is not a code change to accept for one run: the plan would apply that migration again, and a
        // rollback would skip it. Only repair, which records it again from the history, clears it.
        var refused = options.AllowDrift ? drift.Where(static d => d.Kind == DriftKind.Unrecorded).ToArray() : drift;
        if (refused.Count > 0)
        {
            throw new StepwiseException(FailureKind.Drift,
                $"Applied migrations of {catalog.Name} differ from the code; nothing was run:" + Environment.NewLine +
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
    private static void RequireCompatible(IDatabaseEngine engine, MigrationPlan plan)
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

    [LoggerMessage(Level = LogLevel.Information, Message = "{Project} is at {Version}; waiting for {Minimum} or later")]
    private partial void LogWaiting(string project, string version, string minimum);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Migration} [{Key}] did not finish in an earlier run: {Reason}")]
    private partial void LogResumed(string migration, string key, string reason);
}
