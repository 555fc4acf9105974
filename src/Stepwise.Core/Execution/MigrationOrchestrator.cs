using System.Diagnostics;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
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
    private static readonly string RunnerVersion =
        typeof(MigrationOrchestrator).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    private readonly IServiceProvider _services;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    /// <summary>Creates the orchestrator.</summary>
    /// <param name="services">Creates migration instances (they may take constructor dependencies).</param>
    /// <param name="logger">Receives progress.</param>
    /// <param name="time">The clock; the system clock when <c>null</c>.</param>
    public MigrationOrchestrator(IServiceProvider services, ILogger<MigrationOrchestrator> logger, TimeProvider? time = null)
    {
        _services = services;
        _logger = logger;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Installs, upgrades or rolls back a project; with <see cref="RunOptions.DryRun"/>, only plans.</summary>
    public async Task<RunResult> RunAsync(IDatabaseEngine engine, ProjectCatalog catalog, PlanRequest request, RunOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        RequireCompatible(engine, catalog);
        MigrationPlanner.CheckRequest(catalog, request);

        await using var session = await engine.OpenAsync(options.Session, cancellationToken).ConfigureAwait(false);
        if (options.DryRun)
        {
            var observed = await session.ReadStateAsync(catalog.Name, cancellationToken).ConfigureAwait(false);
            var dryPlan = MigrationPlanner.Plan(catalog, observed, request);
            var dryDrift = CheckDrift(catalog, observed, options);
            return new RunResult(dryPlan, 0, dryPlan.Target, DryRun: true, dryDrift);
        }

        await session.PrepareAsync(cancellationToken).ConfigureAwait(false);
        await using var projectLock = await session.AcquireLockAsync(catalog.Name, options.LockTimeout, cancellationToken).ConfigureAwait(false);

        var state = await session.ReadStateAsync(catalog.Name, cancellationToken).ConfigureAwait(false);
        var plan = MigrationPlanner.Plan(catalog, state, request);
        var drift = CheckDrift(catalog, state, options);
        if (plan.NothingToDo)
        {
            LogNothingToDo(catalog.Name, plan.Target);
            return new RunResult(plan, 0, plan.Target, DryRun: false, drift);
        }

        var run = new RunRecord(Guid.NewGuid(), catalog.Name, plan.Operation.ToString().ToLowerInvariant(), plan.Target.ToString(),
            plan.From?.ToString(), options.Environment, Environment.MachineName, RunnerVersion);
        var auditId = await session.BeginRunAsync(run, cancellationToken).ConfigureAwait(false);
        using var runScope = _logger.BeginScope(new Dictionary<string, object?>
        {
            ["RunId"] = run.RunId, ["Project"] = run.Project, ["Operation"] = run.Operation, ["Environment"] = run.Environment,
        });
        LogPlanStarted(plan.Operation.ToString().ToLowerInvariant(), catalog.Name, plan.From?.ToString() ?? "nothing", plan.Target.ToString(), plan.Steps.Count);

        try
        {
            var version = plan.From;
            foreach (var step in plan.Steps)
            {
                await ExecuteStepAsync(session, run, step, cancellationToken).ConfigureAwait(false);
                version = step.VersionAfter ?? version;
            }

            // A version whose migrations all belong to another path still has to be recorded as reached.
            if (version != plan.Target)
            {
                await session.SetVersionAsync(catalog.Name, plan.Target, cancellationToken).ConfigureAwait(false);
            }

            await session.EndRunAsync(auditId, RunOutcome.Succeeded, null, CancellationToken.None).ConfigureAwait(false);
            LogPlanFinished(catalog.Name, plan.Target.ToString(), plan.Steps.Count);
            return new RunResult(plan, plan.Steps.Count, plan.Target, DryRun: false, drift);
        }
        catch (Exception ex) when (ex is StepwiseException or OperationCanceledException)
        {
            await TryEndRunAsync(session, auditId, ex.Message).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Plans without changing anything: the operation is inferred from the state when <paramref name="operation"/> is null.</summary>
    public async Task<(MigrationPlan Plan, IReadOnlyList<DriftEntry> Drift)> PlanAsync(
        IDatabaseEngine engine, ProjectCatalog catalog, Operation? operation, ProjectVersion? target, ProjectVersion? expectedCurrent,
        RunOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(catalog);
        RequireCompatible(engine, catalog);
        if (target is not null)
        {
            MigrationPlanner.CheckRequest(catalog, new PlanRequest(Operation.Upgrade, target));
        }

        await using var session = await engine.OpenAsync(options.Session, cancellationToken).ConfigureAwait(false);
        var state = await session.ReadStateAsync(catalog.Name, cancellationToken).ConfigureAwait(false);
        var resolvedTarget = target ?? catalog.Latest;
        var resolvedOperation = operation ?? (resolvedTarget is null ? Operation.Upgrade : MigrationPlanner.InferOperation(state, resolvedTarget));
        var plan = MigrationPlanner.Plan(catalog, state, new PlanRequest(resolvedOperation, target, expectedCurrent));
        return (plan, DriftDetector.Detect(catalog, state));
    }

    /// <summary>Reports where the project stands: version, pending migrations, failures and drift. Changes nothing.</summary>
    public async Task<StatusReport> StatusAsync(IDatabaseEngine engine, ProjectCatalog catalog, RunOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(catalog);

        await using var session = await engine.OpenAsync(options.Session, cancellationToken).ConfigureAwait(false);
        var state = await session.ReadStateAsync(catalog.Name, cancellationToken).ConfigureAwait(false);
        return Status(catalog, state);
    }

    /// <summary>Lists the projects the database records.</summary>
    public async Task<IReadOnlyList<string>> ListProjectsAsync(IDatabaseEngine engine, RunOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        await using var session = await engine.OpenAsync(options.Session, cancellationToken).ConfigureAwait(false);
        return await session.ListProjectsAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the project's history, newest first.</summary>
    public async Task<IReadOnlyList<HistoryEntry>> HistoryAsync(IDatabaseEngine engine, string project, int limit, RunOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        await using var session = await engine.OpenAsync(options.Session, cancellationToken).ConfigureAwait(false);
        return await session.ReadHistoryAsync(project, limit, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Clears failed non-transactional steps and aligns the records with the code (changed checksums, vanished migrations).
    /// With <see cref="RunOptions.DryRun"/>, only lists what it would do.
    /// </summary>
    public async Task<IReadOnlyList<RepairAction>> RepairAsync(IDatabaseEngine engine, ProjectCatalog catalog, RunOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);

        await using var session = await engine.OpenAsync(options.Session, cancellationToken).ConfigureAwait(false);
        if (options.DryRun)
        {
            return RepairActions(catalog, await session.ReadStateAsync(catalog.Name, cancellationToken).ConfigureAwait(false));
        }

        await session.PrepareAsync(cancellationToken).ConfigureAwait(false);
        await using var projectLock = await session.AcquireLockAsync(catalog.Name, options.LockTimeout, cancellationToken).ConfigureAwait(false);
        var state = await session.ReadStateAsync(catalog.Name, cancellationToken).ConfigureAwait(false);
        var actions = RepairActions(catalog, state);
        if (actions.Count > 0)
        {
            var run = new RunRecord(Guid.NewGuid(), catalog.Name, "repair", null, state.CurrentVersion, options.Environment, Environment.MachineName, RunnerVersion);
            await session.RepairAsync(run, actions, cancellationToken).ConfigureAwait(false);
        }

        return actions;
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

    private static List<RepairAction> RepairActions(ProjectCatalog catalog, DatabaseState state)
    {
        var actions = state.Failed
            .Select(static f => new RepairAction(RepairKind.ClearFailure, f.Key, f.Name, f.Version, null))
            .ToList();
        foreach (var drift in DriftDetector.Detect(catalog, state))
        {
            var applied = state.Applied.First(a => a.Key == drift.Key);
            actions.Add(drift.Kind == DriftKind.Changed
                ? new RepairAction(RepairKind.AlignChecksum, drift.Key, drift.Name, applied.Version, drift.CurrentChecksum)
                : new RepairAction(RepairKind.ForgetMissing, drift.Key, drift.Name, applied.Version, null));
        }

        return actions;
    }

    private static IReadOnlyList<DriftEntry> CheckDrift(ProjectCatalog catalog, DatabaseState state, RunOptions options)
    {
        var drift = DriftDetector.Detect(catalog, state);
        if (drift.Count > 0 && !options.AllowDrift)
        {
            throw new StepwiseException(FailureKind.Drift,
                $"Applied migrations of {catalog.Name} differ from the code; nothing was run:" + Environment.NewLine +
                string.Join(Environment.NewLine, drift.Select(static d => d.Kind == DriftKind.Changed
                    ? $"  - {d.Name} ({d.Key}) changed after it was applied"
                    : $"  - {d.Name} ({d.Key}) was applied but is no longer in the code")) + Environment.NewLine +
                "Restore the applied code, or accept the change with 'repair' (or run once with --allow-drift).");
        }

        return drift;
    }

    private static void RequireCompatible(IDatabaseEngine engine, ProjectCatalog catalog)
    {
        var foreign = catalog.Migrations.Where(m => m.ContextType is { } context && !context.IsAssignableFrom(engine.ContextType)).ToArray();
        if (foreign.Length > 0)
        {
            throw new StepwiseException(FailureKind.Usage,
                $"--database-type {engine.Name} provides {engine.ContextType.Name}, but {string.Join(", ", foreign.Select(static m => $"{m.Name} expects {m.ContextType!.Name}"))}. " +
                "Choose the database type the migrations are written for.");
        }
    }

    private async Task ExecuteStepAsync(IDatabaseSession session, RunRecord run, PlanStep step, CancellationToken cancellationToken)
    {
        var migration = step.Migration;
        var start = new StepStart(run, migration, step.Direction);
        var startedAt = _time.GetUtcNow();
        var stopwatch = Stopwatch.StartNew();
        LogStepStarted(step.Direction == MigrationDirection.Up ? "Applying" : "Rolling back", migration.Version.ToString(), migration.Name, migration.Key);

        using var stepScope = _logger.BeginScope(new Dictionary<string, object?> { ["Migration"] = migration.Name, ["MigrationKey"] = migration.Key });
        var phase = StepPhase.Start;
        try
        {
            var instance = Instantiate(migration);
            await using var scope = await session.BeginStepAsync(start, cancellationToken).ConfigureAwait(false);
            var context = scope.Context;
            if (step.Direction == MigrationDirection.Up)
            {
                phase = StepPhase.PreCheck;
                await instance.PreCheckAsync(context, cancellationToken).ConfigureAwait(false);
                phase = StepPhase.Up;
                await instance.UpAsync(context, cancellationToken).ConfigureAwait(false);
                phase = StepPhase.Validate;
                await instance.ValidateAsync(context, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                phase = StepPhase.Down;
                await instance.DownAsync(context, cancellationToken).ConfigureAwait(false);
                phase = StepPhase.RollbackCheck;
                await instance.PreCheckAsync(context, cancellationToken).ConfigureAwait(false);
            }

            phase = StepPhase.Record;
            await scope.CompleteAsync(new StepRecord(start, StepStatus.Succeeded, startedAt, stopwatch.Elapsed, step.VersionAfter, null), cancellationToken)
                .ConfigureAwait(false);
            LogStepFinished(migration.Name, stopwatch.Elapsed.TotalMilliseconds);
        }
        catch (Exception ex) when (ex is not StepwiseException)
        {
            var cancelled = ex is OperationCanceledException && cancellationToken.IsCancellationRequested;
            var failure = cancelled
                ? new StepwiseException(FailureKind.Cancelled, $"Cancelled during {migration.Name} ({migration.Key}). {Aftermath(migration)}", ex)
                : Describe(phase, migration, ex);
            await TryRecordFailureAsync(session, new StepRecord(start, StepStatus.Failed, startedAt, stopwatch.Elapsed, null, failure.Message)).ConfigureAwait(false);
            throw failure;
        }
    }

    private IMigration Instantiate(MigrationDescriptor migration)
    {
        var type = migration.Type ?? throw new InvalidOperationException($"Migration {migration.Name} has no class to run.");
        return (IMigration)ActivatorUtilities.GetServiceOrCreateInstance(_services, type);
    }

    private static StepwiseException Describe(StepPhase phase, MigrationDescriptor migration, Exception ex)
    {
        var what = $"{migration.Name} ({migration.Key})";
        var reason = ex is MigrationCheckException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}";
        var aftermath = Aftermath(migration);
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
            _ => new StepwiseException(FailureKind.MigrationFailed, $"{what} failed: {reason}. {aftermath}", ex),
        };
    }

    private static string Aftermath(MigrationDescriptor migration) => migration.Transactional
        ? "The step was rolled back; the database is as it was before this step."
        : "The migration is non-transactional, so its changes were not undone: undo them with 'rollback' (runs its Down) or fix them by hand and run 'repair'.";

    private async Task TryRecordFailureAsync(IDatabaseSession session, StepRecord record)
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

    private async Task TryEndRunAsync(IDatabaseSession session, long auditId, string message)
    {
        try
        {
            await session.EndRunAsync(auditId, RunOutcome.Failed, message, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogBookkeepingFailed("the run's audit entry", ex.Message);
        }
    }

    private enum StepPhase
    {
        Start,
        PreCheck,
        Up,
        Validate,
        Down,
        RollbackCheck,
        Record,
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Project} is at {Version}: nothing to do")]
    private partial void LogNothingToDo(string project, ProjectVersion version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Starting {Operation} of {Project}: {From} -> {Target}, {Steps} step(s)")]
    private partial void LogPlanStarted(string operation, string project, string from, string target, int steps);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Project} is at {Version} ({Steps} step(s) run)")]
    private partial void LogPlanFinished(string project, string version, int steps);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Action} {Version} {Migration} [{Key}]")]
    private partial void LogStepStarted(string action, string version, string migration, string key);

    [LoggerMessage(Level = LogLevel.Information, Message = "Done {Migration} in {ElapsedMs:F0} ms")]
    private partial void LogStepFinished(string migration, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record {What} in history: {Error}")]
    private partial void LogBookkeepingFailed(string what, string error);
}
