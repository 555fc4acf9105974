using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Stepwise.Catalog;
using Stepwise.Planning;
using Stepwise.State;
using Stepwise.Versioning;

namespace Stepwise.Execution;

/// <summary>
/// The operations of the CLI against one engine: each opens a session, and a run or a repair hands it to a
/// <see cref="RunCoordinator"/>; the read-only operations (plan, status, history, wait, backups) read it here.
/// </summary>
public sealed partial class MigrationOrchestrator
{
    private readonly IDatabaseEngine _engine;
    private readonly ILogger _logger;
    private readonly MigrationFactory _migrations;
    private readonly TimeProvider _time;
    private readonly Observing.RunEvents _events;

    /// <summary>Creates the orchestrator.</summary>
    /// <param name="engine">The engine every operation runs against.</param>
    /// <param name="services">Creates migration instances (they may take constructor dependencies).</param>
    /// <param name="logger">Receives progress.</param>
    /// <param name="time">The clock; the system clock when <c>null</c>.</param>
    public MigrationOrchestrator(IDatabaseEngine engine, IServiceProvider services, ILogger<MigrationOrchestrator> logger, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        _engine = engine;
        _logger = logger;
        _migrations = new MigrationFactory(services);
        _time = time ?? TimeProvider.System;
        _events = new Observing.RunEvents([.. services.GetServices<Observing.IRunObserver>()], logger);
    }

    /// <summary>Installs, upgrades or rolls back a project; with <see cref="RunOptions.DryRun"/>, only plans.</summary>
    public async Task<RunResult> RunAsync(ProjectCatalog catalog, PlanRequest request, RunOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        MigrationPlanner.CheckRequest(catalog, request);

        // InSessionAsync's work, without its delegate: a run is the path every deploy takes, and the one newcomers read.
        await using var session = await _engine.OpenAsync(options.Session, cancellationToken).ConfigureAwait(false);
        try
        {
            return await Coordinator(session, catalog, options).RunAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsUnexplained(ex) && session.Explain(ex) is { } explained)
        {
            throw explained;
        }
    }

    private RunCoordinator Coordinator(IDatabaseSession session, ProjectCatalog catalog, RunOptions options) =>
        new(_engine, session, catalog, options, _migrations, _logger, _time, _events);

    // Every operation's session: failures that are the database's (a lost connection, a missing privilege) are explained
    // as such wherever they happen.
    private async Task<T> InSessionAsync<T>(RunOptions options, Func<IDatabaseSession, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var session = await _engine.OpenAsync(options.Session, cancellationToken).ConfigureAwait(false);
        try
        {
            return await work(session).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsUnexplained(ex) && session.Explain(ex) is { } explained)
        {
            throw explained;
        }
    }

    // Failures Stepwise already explains, and cancellation, pass as they are; anything else may be the database's.
    private static bool IsUnexplained(Exception ex) => ex is not (StepwiseException or OperationCanceledException or OutOfMemoryException);

    /// <summary>Plans without changing anything: the operation is inferred from the state when <paramref name="operation"/> is null.</summary>
    public async Task<(MigrationPlan Plan, IReadOnlyList<DriftEntry> Drift)> PlanAsync(
        ProjectCatalog catalog, Operation? operation, ProjectVersion? target, ProjectVersion? expectedCurrent, bool deferPostUpgrade,
        RunOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        if (target is not null)
        {
            MigrationPlanner.CheckRequest(catalog, new PlanRequest(Operation.Upgrade, target));
        }

        return await InSessionAsync(options, async session =>
        {
            var state = await session.ReadStateAsync(catalog.Name, cancellationToken).ConfigureAwait(false);
            var resolvedTarget = target ?? catalog.Latest;
            var resolvedOperation = operation ?? (resolvedTarget is null ? Operation.Upgrade : MigrationPlanner.InferOperation(state, resolvedTarget));
            var plan = MigrationPlanner.Plan(catalog, state, new PlanRequest(resolvedOperation, target, expectedCurrent) { DeferPostUpgrade = deferPostUpgrade });
            RunCoordinator.RequireCompatible(_engine, plan);
            return (plan, DriftDetector.Detect(catalog, state));
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reports where the project stands: version, pending migrations, failures and drift. Changes nothing.</summary>
    public async Task<StatusReport> StatusAsync(ProjectCatalog catalog, RunOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(catalog);

        return await InSessionAsync(options, async session =>
        {
            var state = await RunCoordinator.ReadFullStateAsync(session, catalog.Name, cancellationToken).ConfigureAwait(false);
            var leftovers = state.HasUnfinishedSteps ? await session.FindLeftoversAsync(cancellationToken).ConfigureAwait(false) : [];
            return Status(catalog, state) with { Leftovers = leftovers };
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Lists the projects the database records, with their versions.</summary>
    public async Task<IReadOnlyDictionary<string, string?>> ListProjectsAsync(RunOptions options, CancellationToken cancellationToken)
    {
        return await InSessionAsync(options, session => session.ListProjectsAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the project's history, newest first.</summary>
    public async Task<IReadOnlyList<HistoryEntry>> HistoryAsync(string project, int limit, RunOptions options, CancellationToken cancellationToken)
    {
        return await InSessionAsync(options, session => session.ReadHistoryAsync(project, limit, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the audit log's runs that <paramref name="query"/> selects, newest first.</summary>
    public async Task<IReadOnlyList<AuditRun>> AuditAsync(AuditQuery query, RunOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return await InSessionAsync(options, session => session.ReadAuditAsync(query, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Settles failed and interrupted non-transactional steps by their checks (run again, or recorded as finished) and
    /// aligns the records with the code (changed checksums, vanished migrations, deleted applied records). Refuses,
    /// changing nothing, when a step stopped half-way. With <see cref="RunOptions.DryRun"/>, only says what it would do.
    /// </summary>
    public async Task<IReadOnlyList<RepairAction>> RepairAsync(ProjectCatalog catalog, RunOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return await InSessionAsync(options, session => Coordinator(session, catalog, options).RepairAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Waits until the database records <paramref name="project"/> at <paramref name="minimum"/> or later, reading its
    /// state every two seconds (an unreachable database is read again until the time is up). Returns the version reached.
    /// </summary>
    /// <exception cref="StepwiseException">Still below after <paramref name="timeout"/> (kind <see cref="FailureKind.InvalidState"/>), or the database stayed unreachable (<see cref="FailureKind.Connection"/>).</exception>
    public async Task<ProjectVersion> WaitForVersionAsync(string project, ProjectVersion minimum, TimeSpan timeout, RunOptions options,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(minimum);
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            StepwiseException? unreachable = null;
            DatabaseState? state = null;
            try
            {
                state = await InSessionAsync(options, session => session.ReadStateAsync(project, cancellationToken), cancellationToken).ConfigureAwait(false);
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
    public async Task<IReadOnlyList<BackupRecord>> ListBackupsAsync(string project, RunOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        return await InSessionAsync(options, session => Backups(session).ListBackupsAsync(project, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Drops the project's backups of one version, or all; under the project's lock, so no run is taking one meanwhile.</summary>
    public async Task<IReadOnlyList<BackupRecord>> DropBackupsAsync(string project, ProjectVersion? version, RunOptions options,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        return await InSessionAsync(options, async session =>
        {
            if (options.DryRun)
            {
                return (await Backups(session).ListBackupsAsync(project, cancellationToken).ConfigureAwait(false))
                    .Where(b => version is null || b.Version == version.ToString()).ToList();
            }

            await StateStoreEvolver.PrepareAsync(session, session.Target, _logger, cancellationToken).ConfigureAwait(false);
            await using var projectLock = await new ProjectLockWaiter(_logger, _time).AcquireAsync(session, session.Target, project, options.LockTimeout, cancellationToken)
                .ConfigureAwait(false);
            return await Backups(session).DropBackupsAsync(project, version, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    private IBackups Backups(IDatabaseSession session) => session as IBackups ?? throw new StepwiseException(FailureKind.Usage,
        $"--database-type {_engine.Name} takes no backups (policy backup_before_upgrade), so it has none to list or drop.");

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

    [LoggerMessage(Level = LogLevel.Information, Message = "{Project} is at {Version}; waiting for {Minimum} or later")]
    private partial void LogWaiting(string project, string version, string minimum);
}
