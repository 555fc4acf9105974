using Microsoft.Extensions.Logging;
using Stepwise.Catalog;
using Stepwise.Execution;
using Stepwise.Planning;
using Stepwise.Versioning;

namespace Stepwise.Verification;

/// <summary>
/// Proves, for CI, that every migration's <c>Down</c> undoes its <c>Up</c>: on scratch databases it walks the project's
/// routes (<see cref="RollbackRoutes"/>), and for each migration snapshots the schema, runs <c>Up</c>, snapshots, runs
/// <c>Down</c>, compares with the snapshot before <c>Up</c>, runs <c>Up</c> again and compares with the first result.
/// Each step runs as a real run runs it: transaction or not, checks and records included.
/// </summary>
public sealed partial class RollbackVerifier
{
    private readonly ILogger _logger;
    private readonly MigrationFactory _migrations;
    private readonly TimeProvider _time;

    /// <summary>Creates the verifier.</summary>
    /// <param name="services">Creates migration instances (they may take constructor dependencies).</param>
    /// <param name="logger">Receives progress.</param>
    /// <param name="time">The clock; the system clock when <c>null</c>.</param>
    public RollbackVerifier(IServiceProvider services, ILogger<RollbackVerifier> logger, TimeProvider? time = null)
    {
        _logger = logger;
        _migrations = new MigrationFactory(services);
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Checks every migration up to <paramref name="target"/> (the newest version when <c>null</c>).</summary>
    public async Task<RollbackReport> VerifyAsync(IDatabaseEngine engine, ProjectCatalog catalog, ProjectVersion? target, RunOptions options,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        var scratches = engine as IScratchDatabases ?? throw new StepwiseException(FailureKind.Usage,
            $"--database-type {engine.Name} cannot check rollbacks: it has no scratch databases.");
        var version = target ?? catalog.Latest ?? throw new StepwiseException(FailureKind.Usage, $"Project {catalog.Name} has no migrations.");
        MigrationPlanner.CheckRequest(catalog, new PlanRequest(Operation.Upgrade, version));

        var routes = RollbackRoutes.For(catalog, version);
        var checks = new List<RollbackCheck>();
        foreach (var route in routes)
        {
            LogRoute(catalog.Name, route.Name, route.Verify.Count);
            await using var scratch = await scratches.CreateScratchAsync(options.Session, catalog.Name, cancellationToken).ConfigureAwait(false);
            await using var session = await engine.OpenAsync(scratch.Session, cancellationToken).ConfigureAwait(false);
            await StateStoreEvolver.PrepareAsync(session, session.Target, _logger, cancellationToken).ConfigureAwait(false);
            var run = RunRecord.Start(catalog.Name, "verify-rollback", version.ToString(), null, options.Environment);
            await WalkAsync(new StepExecutor(session, _migrations, _logger, _time, redaction: Redaction.Of(options.Session.Endpoint)), scratch, catalog, route, run, checks, cancellationToken).ConfigureAwait(false);
        }

        return new RollbackReport(catalog.Name, version.ToString(), routes.Select(static r => r.Name).ToArray(), checks);
    }

    private async Task WalkAsync(StepExecutor executor, IScratchDatabase scratch, ProjectCatalog catalog, RollbackRoute route, RunRecord run,
        List<RollbackCheck> checks, CancellationToken cancellationToken)
    {
        var before = await scratch.SnapshotAsync(cancellationToken).ConfigureAwait(false);
        foreach (var migration in route.Steps)
        {
            // A Down that restores data from its backup finds it, as in a real upgrade.
            var backup = catalog.Policies.BackupBeforeUpgrade && migration.Path == MigrationPath.Upgrade;
            if (await TryStepAsync(executor, run, migration, MigrationDirection.Up, backup, cancellationToken).ConfigureAwait(false) is { } upFailed)
            {
                checks.Add(new RollbackCheck(route.Name, migration, RollbackVerdict.UpFailed, null, upFailed));
                return;
            }

            var applied = await scratch.SnapshotAsync(cancellationToken).ConfigureAwait(false);
            if (!route.Verify.Contains(migration.Key))
            {
                before = applied;
                continue;
            }

            if (!migration.Reversible)
            {
                checks.Add(new RollbackCheck(route.Name, migration, RollbackVerdict.Irreversible, null, migration.IrreversibleReason));
                before = applied;
                continue;
            }

            if (await TryStepAsync(executor, run, migration, MigrationDirection.Down, backup, cancellationToken).ConfigureAwait(false) is { } downFailed)
            {
                checks.Add(new RollbackCheck(route.Name, migration, RollbackVerdict.DownFailed, null, downFailed));
                return;
            }

            var undone = before.Compare(await scratch.SnapshotAsync(cancellationToken).ConfigureAwait(false));
            if (await TryStepAsync(executor, run, migration, MigrationDirection.Up, backup, cancellationToken).ConfigureAwait(false) is { } againFailed)
            {
                checks.Add(new RollbackCheck(route.Name, migration, undone.IsEmpty ? RollbackVerdict.NotRepeatable : RollbackVerdict.NotRestored,
                    undone.IsEmpty ? null : undone, $"Up failed when run again after Down: {againFailed}"));
                return;
            }

            var again = await scratch.SnapshotAsync(cancellationToken).ConfigureAwait(false);
            var redone = applied.Compare(again);
            checks.Add(undone.IsEmpty && redone.IsEmpty
                ? new RollbackCheck(route.Name, migration, RollbackVerdict.Restored, null, null)
                : undone.IsEmpty
                    ? new RollbackCheck(route.Name, migration, RollbackVerdict.NotRepeatable, redone, null)
                    : new RollbackCheck(route.Name, migration, RollbackVerdict.NotRestored, undone, null));
            LogChecked(migration.Name, checks[^1].Verdict.ToString());
            before = again;
        }
    }

    // null when the step succeeded, else what the runner would have said.
    private static async Task<string?> TryStepAsync(StepExecutor executor, RunRecord run, MigrationDescriptor migration, MigrationDirection direction,
        bool backup, CancellationToken cancellationToken)
    {
        try
        {
            await executor.ExecuteAsync(run, new PlanStep(migration, direction, null), backup && direction == MigrationDirection.Up, cancellationToken)
                .ConfigureAwait(false);
            return null;
        }
        catch (StepwiseException ex) when (ex.Kind is not (FailureKind.Cancelled or FailureKind.Connection or FailureKind.Permission))
        {
            return ex.Message;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Checking the rollbacks of {Project} along {Route} ({Count} migration(s) to check)")]
    private partial void LogRoute(string project, string route, int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Rollback of {Migration}: {Verdict}")]
    private partial void LogChecked(string migration, string verdict);
}
