using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
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
            await CheckRequirementsAsync(session, catalog, request.Operation, cancellationToken).ConfigureAwait(false);
            var dryPlan = MigrationPlanner.Plan(catalog, observed, request);
            var dryDrift = CheckDrift(catalog, observed, options);
            return new RunResult(dryPlan, 0, dryPlan.Target, DryRun: true, dryDrift);
        }

        // Most runs find the database already at the target: one round trip, no lock, no schema work. Anything else (or
        // any doubt) goes the locked way, where the state is read again.
        var first = await session.ReadStateAsync(catalog.Name, cancellationToken).ConfigureAwait(false);
        if (first.SchemaCurrent && AlreadyThere(catalog, first, request, options) is { } done)
        {
            await CheckRequirementsAsync(session, catalog, request.Operation, cancellationToken).ConfigureAwait(false);
            LogNothingToDo(catalog.Name, done.Plan.Target);
            return done;
        }

        if (!first.SchemaCurrent)
        {
            await session.PrepareAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var projectLock = await session.AcquireLockAsync(catalog.Name, options.LockTimeout, cancellationToken).ConfigureAwait(false);

        var state = await session.ReadStateAsync(catalog.Name, cancellationToken).ConfigureAwait(false);
        await CheckRequirementsAsync(session, catalog, request.Operation, cancellationToken).ConfigureAwait(false);
        var plan = MigrationPlanner.Plan(catalog, state, request);
        var drift = CheckDrift(catalog, state, options);
        if (plan.NothingToDo)
        {
            LogNothingToDo(catalog.Name, plan.Target);
            return new RunResult(plan, 0, plan.Target, DryRun: false, drift);
        }

        var run = new RunRecord(Guid.NewGuid(), catalog.Name, plan.Operation.ToString().ToLowerInvariant(), plan.Target.ToString(),
            plan.From?.ToString(), options.Environment, Environment.MachineName, RunnerVersion);
        if (catalog.Policies.DryRunFirst && plan.Operation != Operation.Rollback)
        {
            await RehearseAsync(session, run, plan, cancellationToken).ConfigureAwait(false);
        }

        var auditId = await session.BeginRunAsync(run, cancellationToken).ConfigureAwait(false);
        using var runScope = _logger.BeginScope(new Dictionary<string, object?>
        {
            ["RunId"] = run.RunId, ["Project"] = run.Project, ["Operation"] = run.Operation, ["Environment"] = run.Environment,
        });
        LogPlanStarted(plan.Operation.ToString().ToLowerInvariant(), catalog.Name, plan.From?.ToString() ?? "nothing", plan.Target.ToString(), plan.Steps.Count);

        try
        {
            var version = plan.From;
            var backup = catalog.Policies.BackupBeforeUpgrade && plan.Operation == Operation.Upgrade;
            foreach (var step in plan.Steps)
            {
                await ExecuteStepAsync(session, run, step, backup, cancellationToken).ConfigureAwait(false);
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

    /// <summary>Lists the projects the database records, with their versions.</summary>
    public async Task<IReadOnlyDictionary<string, string?>> ListProjectsAsync(IDatabaseEngine engine, RunOptions options, CancellationToken cancellationToken)
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

    /// <summary>Lists the project's backups.</summary>
    public async Task<IReadOnlyList<BackupRecord>> ListBackupsAsync(IDatabaseEngine engine, string project, RunOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(options);
        await using var session = await engine.OpenAsync(options.Session, cancellationToken).ConfigureAwait(false);
        return await session.ListBackupsAsync(project, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Drops the project's backups of one version, or all; under the project's lock, so no run is taking one meanwhile.</summary>
    public async Task<IReadOnlyList<BackupRecord>> DropBackupsAsync(IDatabaseEngine engine, string project, ProjectVersion? version, RunOptions options,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(options);
        await using var session = await engine.OpenAsync(options.Session, cancellationToken).ConfigureAwait(false);
        if (options.DryRun)
        {
            return (await session.ListBackupsAsync(project, cancellationToken).ConfigureAwait(false))
                .Where(b => version is null || b.Version == version.ToString()).ToList();
        }

        await session.PrepareAsync(cancellationToken).ConfigureAwait(false);
        await using var projectLock = await session.AcquireLockAsync(project, options.LockTimeout, cancellationToken).ConfigureAwait(false);
        return await session.DropBackupsAsync(project, version, cancellationToken).ConfigureAwait(false);
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

    private static RunResult? AlreadyThere(ProjectCatalog catalog, DatabaseState state, PlanRequest request, RunOptions options)
    {
        try
        {
            var plan = MigrationPlanner.Plan(catalog, state, request);
            return plan.NothingToDo ? new RunResult(plan, 0, plan.Target, DryRun: false, CheckDrift(catalog, state, options)) : null;
        }
        catch (StepwiseException ex) when (ex.Kind is not (FailureKind.Usage or FailureKind.Catalog))
        {
            return null;
        }
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

    private async Task ExecuteStepAsync(IDatabaseSession session, RunRecord run, PlanStep step, bool backup, CancellationToken cancellationToken)
    {
        var migration = step.Migration;
        var start = new StepStart(run, migration, step.Direction);
        var startedAt = _time.GetUtcNow();
        var stopwatch = Stopwatch.StartNew();
        using var stepScope = _logger.BeginScope(new Dictionary<string, object?> { ["Migration"] = migration.Name, ["MigrationKey"] = migration.Key });
        LogStepStarted(step.Direction == MigrationDirection.Up ? "Applying" : "Rolling back", migration.Version.ToString(), migration.Name, migration.Key);

        var progress = new StepProgress();
        try
        {
            var instance = Instantiate(migration);
            await using var scope = await session.BeginStepAsync(start, cancellationToken).ConfigureAwait(false);
            IReadOnlyList<BackupRecord> backups = [];
            if (backup && migration.Changes.Count > 0)
            {
                progress.Phase = StepPhase.Backup;
                backups = await scope.BackupAsync(migration.Changes, cancellationToken).ConfigureAwait(false);
                foreach (var copy in backups)
                {
                    LogBackupTaken(copy.Source, copy.Backup, copy.Rows);
                }
            }

            await InvokeAsync(instance, scope.Context, step.Direction, progress, scope, migration.UpSendsOneStatement, cancellationToken).ConfigureAwait(false);
            var closingChecks = progress.Phase;
            progress.Phase = StepPhase.Record;
            try
            {
                await scope.CompleteAsync(new StepRecord(start, StepStatus.Succeeded, startedAt, stopwatch.Elapsed, step.VersionAfter, null, backups),
                    cancellationToken).ConfigureAwait(false);
            }
            catch (MigrationCheckException)
            {
                // A closing check the engine verified with the commit: it failed as part of Validate (or the rollback check).
                progress.Phase = closingChecks;
                throw;
            }

            LogStepFinished(migration.Name, stopwatch.Elapsed.TotalMilliseconds);
        }
        catch (Exception ex) when (ex is not StepwiseException)
        {
            var failure = Describe(progress.Phase, migration, ex, cancellationToken, Aftermath(migration));
            await TryRecordFailureAsync(session, new StepRecord(start, StepStatus.Failed, startedAt, stopwatch.Elapsed, null, failure.Message)).ConfigureAwait(false);
            throw failure;
        }
    }

    // Runs the transactional steps of the plan, in order, in one transaction that is rolled back: a step that would
    // fail is found before anything is applied. Steps after the first non-transactional one are not rehearsed, because
    // they may depend on what it does.
    private async Task RehearseAsync(IDatabaseSession session, RunRecord run, MigrationPlan plan, CancellationToken cancellationToken)
    {
        var rehearsable = plan.Steps.TakeWhile(static s => s.Migration.Transactional).ToArray();
        var skipped = plan.Steps.Skip(rehearsable.Length).Select(static s => s.Migration.Name).ToArray();
        var rehearsal = run with { Operation = "rehearsal" };
        var auditId = await session.BeginRunAsync(rehearsal, cancellationToken).ConfigureAwait(false);
        LogRehearsalStarted(plan.Project, rehearsable.Length, skipped.Length);

        StepwiseException? failure = null;
        await using (var practice = await session.BeginRehearsalAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var step in rehearsable)
            {
                var progress = new StepProgress();
                try
                {
                    var context = practice.ContextFor(new StepStart(rehearsal, step.Migration, step.Direction));
                    await InvokeAsync(Instantiate(step.Migration), context, step.Direction, progress, scope: null, preChecksWithUp: false, cancellationToken)
                        .ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not StepwiseException)
                {
                    failure = Describe(progress.Phase, step.Migration, ex, cancellationToken,
                        "Found in the rehearsal (policy dry_run_first): nothing was applied.");
                    break;
                }
            }
        }

        var summary = failure?.Message ?? (skipped.Length == 0
            ? $"rehearsed {rehearsable.Length} step(s); all passed and were rolled back"
            : $"rehearsed {rehearsable.Length} step(s); all passed and were rolled back; not rehearsable (at or after a non-transactional step): {string.Join(", ", skipped)}");
        await session.EndRunAsync(auditId, failure is null ? RunOutcome.Succeeded : RunOutcome.Failed, summary, CancellationToken.None).ConfigureAwait(false);
        if (failure is not null)
        {
            throw failure;
        }

        LogRehearsalPassed(plan.Project, summary);
    }

    // preChecksWithUp: Up only sends one statement, so PreCheck's checks may go with it (see IStepScope.DeferChecks).
    private static async Task InvokeAsync(IMigration instance, IMigrationContext context, MigrationDirection direction, StepProgress progress,
        IStepScope? scope, bool preChecksWithUp, CancellationToken cancellationToken)
    {
        if (direction == MigrationDirection.Up)
        {
            progress.Phase = StepPhase.PreCheck;
            var deferred = preChecksWithUp && scope is not null;
            if (deferred)
            {
                scope!.DeferChecks();
            }

            await instance.PreCheckAsync(context, cancellationToken).ConfigureAwait(false);
            progress.Phase = StepPhase.Up;
            try
            {
                await instance.UpAsync(context, cancellationToken).ConfigureAwait(false);
            }
            catch (MigrationCheckException) when (deferred)
            {
                // Up sends one statement and checks nothing itself: this is a PreCheck check, verified with the statement.
                progress.Phase = StepPhase.PreCheck;
                throw;
            }

            progress.Phase = StepPhase.Validate;
            scope?.DeferChecks();
            await instance.ValidateAsync(context, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            progress.Phase = StepPhase.Down;
            await instance.DownAsync(context, cancellationToken).ConfigureAwait(false);
            progress.Phase = StepPhase.RollbackCheck;
            scope?.DeferChecks();
            await instance.PreCheckAsync(context, cancellationToken).ConfigureAwait(false);
        }
    }

    [UnconditionalSuppressMessage("Trimming", "IL2072", Justification = MigrationDiscovery.ManifestKeepsMembers)]
    private IMigration Instantiate(MigrationDescriptor migration)
    {
        var type = migration.Type ?? throw new InvalidOperationException($"Migration {migration.Name} has no class to run.");
        // A class the team registered itself is built by the container; any other as MigrationActivator builds it.
        return (IMigration)(_services.GetService(type) ?? MigrationActivator.CreateInstance(_services, type));
    }

    private static StepwiseException Describe(StepPhase phase, MigrationDescriptor migration, Exception ex, CancellationToken cancellationToken, string aftermath)
    {
        var what = $"{migration.Name} ({migration.Key})";
        if (ex is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            return new StepwiseException(FailureKind.Cancelled, $"Cancelled during {what}. {aftermath}", ex);
        }

        // The reason ends a sentence of ours: a message's own full stop would double it.
        var reason = (ex is MigrationCheckException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}").TrimEnd().TrimEnd('.');
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
            StepPhase.Backup => new StepwiseException(FailureKind.MigrationFailed,
                $"Backing up {string.Join(", ", migration.Changes)} before {what} failed (policy backup_before_upgrade): {reason}. The migration did not run.", ex),
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

    private sealed class StepProgress
    {
        public StepPhase Phase { get; set; } = StepPhase.Start;
    }

    private enum StepPhase
    {
        Start,
        Backup,
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Rehearsing {Project} (policy dry_run_first): {Rehearsable} step(s) in a transaction that will be rolled back, {Skipped} not rehearsable")]
    private partial void LogRehearsalStarted(string project, int rehearsable, int skipped);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rehearsal of {Project} passed: {Summary}")]
    private partial void LogRehearsalPassed(string project, string summary);

    [LoggerMessage(Level = LogLevel.Information, Message = "Backed up {Source} to {Backup} ({Rows} rows)")]
    private partial void LogBackupTaken(string source, string backup, long rows);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record {What} in history: {Error}")]
    private partial void LogBookkeepingFailed(string what, string error);
}
