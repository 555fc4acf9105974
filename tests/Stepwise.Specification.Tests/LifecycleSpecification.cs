using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Stepwise.Catalog;
using Stepwise.Execution;
using Stepwise.Planning;
using Stepwise.Versioning;

namespace Stepwise.Specification.Tests;

/// <summary>
/// The lifecycle every engine keeps, through the orchestrator: install, upgrade, rollback, status, plan, dry run,
/// failures in each phase, drift, repair, and two runners at once. Each engine subclasses it once, with its migrations
/// (<see cref="SpecMigrations"/>) and a real database.
/// </summary>
public abstract partial class LifecycleSpecification(IEngineUnderTest engine)
{
    private static readonly ProjectVersion V100 = ProjectVersion.Parse("1.0.0");
    private static readonly ProjectVersion V110 = ProjectVersion.Parse("1.1.0");

    private SpecMigrations M => engine.Migrations;

    private Type[] All => [M.Widgets, M.Gadgets, M.Gizmos];

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Install_RunsEveryStepInOrder_AndRecordsTheVersion()
    {
        await using var db = await engine.CreateDatabaseAsync();

        var result = await RunAsync(db, All, Operation.Install, V110);

        Assert.Equal(3, result.StepsRun);
        Assert.True(await db.HasAsync("widgets") && await db.HasAsync("gadgets") && await db.HasAsync("gizmos"));
        var state = (await StatusAsync(db, All)).State;
        Assert.Equal("1.1.0", state.CurrentVersion);
        Assert.Equal(["widgets", "gadgets", "gizmos"], state.Applied.Select(a => a.Name.ToLowerInvariant()).Select(Thing));
    }

    [Fact]
    public async Task Upgrade_RunsOnlyTheStepsOfTheNewVersion()
    {
        await using var db = await engine.CreateDatabaseAsync();
        await RunAsync(db, All, Operation.Install, V100);

        var result = await RunAsync(db, All, Operation.Upgrade, V110);

        Assert.Equal(2, result.StepsRun);
        Assert.Equal(["gadgets", "gizmos"], result.Plan.Steps.Select(s => Thing(s.Migration.Name.ToLowerInvariant())));
        Assert.Equal("1.1.0", (await StatusAsync(db, All)).State.CurrentVersion);
    }

    [Fact]
    public async Task RunWithNothingToDo_LoadsNoMigrationClass_AndAnUpgradeLoadsOnlyItsSteps()
    {
        await using var db = await engine.CreateDatabaseAsync();
        await RunAsync(db, All, Operation.Install, V100);

        var loaded = new List<string>();
        var nothing = await RunAsync(db, Counting(All, loaded), Operation.Upgrade, V100);
        Assert.Equal(0, nothing.StepsRun);
        Assert.Empty(loaded);

        await RunAsync(db, Counting(All, loaded), Operation.Upgrade, V110);
        Assert.Equal(["gadgets", "gizmos"], loaded.Distinct().Select(n => Thing(n.ToLowerInvariant())));
    }

    [Fact]
    public async Task Rollback_UndoesTheStepsAboveTheVersion_InReverse()
    {
        await using var db = await engine.CreateDatabaseAsync();
        await RunAsync(db, All, Operation.Install, V110);

        var result = await RunAsync(db, All, Operation.Rollback, V100);

        Assert.Equal(["gizmos", "gadgets"], result.Plan.Steps.Select(s => Thing(s.Migration.Name.ToLowerInvariant())));
        Assert.False(await db.HasAsync("gadgets") || await db.HasAsync("gizmos"));
        Assert.True(await db.HasAsync("widgets"));
        var state = (await StatusAsync(db, All)).State;
        Assert.Equal("1.0.0", state.CurrentVersion);
        Assert.Single(state.Applied);
    }

    [Fact]
    public async Task DryRun_Plans_AndLeavesNoTrace()
    {
        await using var db = await engine.CreateDatabaseAsync();

        var result = await RunAsync(db, All, Operation.Install, V110, dryRun: true);

        Assert.True(result.DryRun);
        Assert.Equal(3, result.Plan.Steps.Count);
        Assert.Equal(0, result.StepsRun);
        Assert.False(await db.HasAsync("widgets"));
        Assert.False((await StatusAsync(db, All)).State.Initialized);
    }

    [Fact]
    public async Task FailingPreCheck_RunsNothing_AndKeepsTheVersion()
    {
        await using var db = await engine.CreateDatabaseAsync();
        await RunAsync(db, All, Operation.Install, V100);
        await db.CreateAsync("gadgets");

        var failure = await Assert.ThrowsAsync<StepwiseException>(() => RunAsync(db, All, Operation.Upgrade, V110));

        Assert.Equal(FailureKind.PreCheckFailed, failure.Kind);
        Assert.False(await db.HasAsync("gizmos"));
        Assert.Equal("1.0.0", (await StatusAsync(db, All)).State.CurrentVersion);
    }

    [Fact]
    public async Task FailingValidate_UndoesTheTransactionalStep()
    {
        await using var db = await engine.CreateDatabaseAsync();
        await RunAsync(db, All, Operation.Install, V100);
        Type[] set = [M.Widgets, M.GadgetsFailingValidate, M.Gizmos];

        var failure = await Assert.ThrowsAsync<StepwiseException>(() => RunAsync(db, set, Operation.Upgrade, V110));

        Assert.Equal(FailureKind.ValidationFailed, failure.Kind);
        Assert.False(await db.HasAsync("gadgets"));
        var state = (await StatusAsync(db, set)).State;
        Assert.Equal("1.0.0", state.CurrentVersion);
        Assert.Empty(state.Failed);
    }

    [Fact]
    public async Task FailingUp_OfATransactionalStep_LeavesNothing()
    {
        await using var db = await engine.CreateDatabaseAsync();
        await RunAsync(db, All, Operation.Install, V100);
        Type[] set = [M.Widgets, M.GadgetsFailingUp, M.Gizmos];

        var failure = await Assert.ThrowsAsync<StepwiseException>(() => RunAsync(db, set, Operation.Upgrade, V110));

        Assert.Equal(FailureKind.MigrationFailed, failure.Kind);
        Assert.False(await db.HasAsync("gadgets"));
        Assert.Empty((await StatusAsync(db, set)).State.Failed);
    }

    [Fact]
    public async Task FailingUp_OutsideATransaction_IsMarkedFailed_AndStopsTheNextRun()
    {
        await using var db = await engine.CreateDatabaseAsync();
        Type[] set = [M.Widgets, M.Gadgets, M.GizmosFailingUp];

        var failure = await Assert.ThrowsAsync<StepwiseException>(() => RunAsync(db, set, Operation.Install, V110));

        Assert.Equal(FailureKind.MigrationFailed, failure.Kind);
        Assert.True(await db.HasAsync("gizmos"));
        var failed = Assert.Single((await StatusAsync(db, set)).State.Failed);
        Assert.Equal("gizmos", Thing(failed.Name.ToLowerInvariant()));
        var again = await Assert.ThrowsAsync<StepwiseException>(() => RunAsync(db, set, Operation.Install, V110));
        Assert.Contains(failed.Name, again.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InstallStoppedInANonTransactionalStep_IsResumedByTheNextRun()
    {
        await using var db = await engine.CreateDatabaseAsync();
        Type[] interrupted = [M.Widgets, M.Gadgets, M.GizmosInterrupted];
        var token = Interruption.Start();

        var stopped = await Assert.ThrowsAsync<StepwiseException>(() =>
            Orchestrator().RunAsync(Catalog(interrupted), new PlanRequest(Operation.Install, V110), Options(db), token));

        Assert.Equal(FailureKind.Cancelled, stopped.Kind);
        var left = (await StatusAsync(db, All)).State;
        Assert.Equal("gizmos", Thing(Assert.Single(left.Interrupted).Migration.Name.ToLowerInvariant()));

        // Its Validate passes (gizmos exists): it had finished, and is recorded so; the install completes.
        var resumed = await RunAsync(db, All, Operation.Install, V110);

        Assert.Equal(0, resumed.StepsRun);
        var state = (await StatusAsync(db, All)).State;
        Assert.Equal("1.1.0", state.CurrentVersion);
        Assert.Equal(["widgets", "gadgets", "gizmos"], state.Applied.Select(a => Thing(a.Name.ToLowerInvariant())));
        Assert.Empty(state.Interrupted);
    }

    [Fact]
    public async Task FailingDown_KeepsTheVersionAbove()
    {
        await using var db = await engine.CreateDatabaseAsync();
        Type[] set = [M.Widgets, M.GadgetsFailingDown, M.Gizmos];
        await RunAsync(db, set, Operation.Install, V110);

        var failure = await Assert.ThrowsAsync<StepwiseException>(() => RunAsync(db, set, Operation.Rollback, V100));

        Assert.Equal(FailureKind.RollbackFailed, failure.Kind);
        Assert.True(await db.HasAsync("gadgets"));
        Assert.False(await db.HasAsync("gizmos"));
        var state = (await StatusAsync(db, set)).State;
        Assert.Equal(["widgets", "gadgets"], state.Applied.Select(a => Thing(a.Name.ToLowerInvariant())));
    }

    [Fact]
    public async Task ChangedMigration_IsDrift_RefusedUntilRepaired()
    {
        await using var db = await engine.CreateDatabaseAsync();
        await RunAsync(db, All, Operation.Install, V110);
        Type[] changed = [M.Widgets, M.GadgetsChanged, M.Gizmos];

        var failure = await Assert.ThrowsAsync<StepwiseException>(() => RunAsync(db, changed, Operation.Upgrade, V110));
        Assert.Equal(FailureKind.Drift, failure.Kind);

        var repairs = await Orchestrator().RepairAsync(Catalog(changed), Options(db), Cancellation);
        var repair = Assert.Single(repairs);
        Assert.Equal(RepairKind.AlignChecksum, repair.Kind);
        var result = await RunAsync(db, changed, Operation.Upgrade, V110);
        Assert.Equal(0, result.StepsRun);
        Assert.Empty(result.Drift);
        Assert.Empty((await StatusAsync(db, changed)).Drift);
    }

    [Fact]
    public async Task TwoRunnersAtOnce_ApplyEachStepExactlyOnce()
    {
        await using var db = await engine.CreateDatabaseAsync();

        var runs = await Task.WhenAll(RunAsync(db, All, Operation.Install, V110), RunAsync(db, All, Operation.Install, V110));

        Assert.Equal(3, runs.Sum(r => r.StepsRun));
        var history = await Orchestrator().HistoryAsync("spec", 100, Options(db), Cancellation);
        Assert.Equal(3, history.Count(h => h.Direction == "up" && h.Status == "succeeded"));
    }

    [Fact]
    public async Task Plan_ReadsTheStateAndChangesNothing()
    {
        await using var db = await engine.CreateDatabaseAsync();
        await RunAsync(db, All, Operation.Install, V100);

        var (plan, drift) = await Orchestrator().PlanAsync(Catalog(All), null, V110, null, false, Options(db), Cancellation);

        Assert.Equal(Operation.Upgrade, plan.Operation);
        Assert.Equal(2, plan.Steps.Count);
        Assert.Empty(drift);
        Assert.False(await db.HasAsync("gadgets"));
    }

    [Fact]
    public async Task EngineWithoutCapabilities_StillRunsTheLifecycle()
    {
        await using var db = await engine.CreateDatabaseAsync();
        var bare = Orchestrator(new BareEngine(engine.Engine));

        await bare.RunAsync(Catalog(All), new PlanRequest(Operation.Install, V110), Options(db), Cancellation);
        var rollback = await bare.RunAsync(Catalog(All), new PlanRequest(Operation.Rollback, V100), Options(db), Cancellation);

        Assert.Equal(2, rollback.StepsRun);
        Assert.False(await db.HasAsync("gadgets"));
        Assert.Equal("1.0.0", (await StatusAsync(db, All)).State.CurrentVersion);
    }

    [Theory]
    [InlineData("dry_run_first: true", "policy dry_run_first")]
    [InlineData("backup_before_upgrade: true", "takes no backups")]
    public async Task PolicyTheEngineCannotKeep_IsRefusedBeforeAnyStep(string policy, string expected)
    {
        await using var db = await engine.CreateDatabaseAsync();
        await RunAsync(db, All, Operation.Install, V100);
        // Only the step that changes the store: on MongoDB every specification migration writes to the same collection.
        Type[] set = [M.Widgets, M.GadgetsChangingWidgets];
        var catalog = Catalog(set).WithConfig(Configuration.ProjectConfigReader.Read(
            $$"""
            apiVersion: v1
            kind: ProjectConfig
            metadata: { name: spec }
            spec:
              migration:
                policies: { {{policy}} }
            """, "project-config.yaml"));

        var failure = await Assert.ThrowsAsync<StepwiseException>(() =>
            Orchestrator(new BareEngine(engine.Engine)).RunAsync(catalog, new PlanRequest(Operation.Upgrade, V110), Options(db), Cancellation));

        Assert.Equal(FailureKind.Usage, failure.Kind);
        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
        Assert.False(await db.HasAsync("gadgets"));
        Assert.Equal("1.0.0", (await StatusAsync(db, set)).State.CurrentVersion);
        var history = await Orchestrator().HistoryAsync("spec", 100, Options(db), Cancellation);
        Assert.DoesNotContain(history, h => h.Version == "1.1.0");
    }

    [Fact]
    public async Task BackupBeforeUpgrade_CopiesWhatAStepChanges_KeepsTheFirstCopy_AndDropsIt()
    {
        await using var db = await engine.CreateDatabaseAsync();
        await RunAsync(db, All, Operation.Install, V100);
        Type[] set = [M.Widgets, M.GadgetsChangingWidgets, M.Gizmos];
        var catalog = Catalog(set).WithConfig(Configuration.ProjectConfigReader.Read(
            """
            apiVersion: v1
            kind: ProjectConfig
            metadata: { name: spec }
            spec:
              migration:
                policies: { backup_before_upgrade: true }
            """, "project-config.yaml"));

        var changing = catalog.Migrations.Single(m => m.Type == M.GadgetsChangingWidgets);
        var store = Assert.Single(changing.Changes);
        await db.AddRowsAsync(store, 3);
        var before = await db.CountAsync(store);

        await RunAsync(db, catalog, Operation.Upgrade, V110);
        var backup = Assert.Single(await Orchestrator().ListBackupsAsync("spec", Options(db), Cancellation));
        Assert.Equal(("1.1.0", changing.Key), (backup.Version, backup.MigrationKey));
        Assert.Equal(before + 1, await db.CountAsync(store)); // what the step changed...
        Assert.Equal((before, before), (backup.Rows, await db.CountAsync(backup.Backup))); // ...and the copy from before it

        // The first copy of a version is kept: later changes do not replace it.
        await RunAsync(db, catalog, Operation.Rollback, V100);
        Assert.Equal(before, await db.CountAsync(store));
        await db.AddRowsAsync(store, 1);
        await RunAsync(db, catalog, Operation.Upgrade, V110);
        Assert.Equal(backup, Assert.Single(await Orchestrator().ListBackupsAsync("spec", Options(db), Cancellation)));
        Assert.Equal(before, await db.CountAsync(backup.Backup));

        var dropped = await Orchestrator().DropBackupsAsync("spec", null, Options(db), Cancellation);

        Assert.Equal([backup], dropped);
        Assert.Null(await db.CountAsync(backup.Backup));
        Assert.Empty(await Orchestrator().ListBackupsAsync("spec", Options(db), Cancellation));
    }

    private async Task<RunResult> RunAsync(ISpecDatabase db, IEnumerable<Type> migrations, Operation operation, ProjectVersion version, bool dryRun = false) =>
        await RunAsync(db, Catalog(migrations), operation, version, dryRun);

    private async Task<RunResult> RunAsync(ISpecDatabase db, ProjectCatalog catalog, Operation operation, ProjectVersion version, bool dryRun = false) =>
        await Orchestrator().RunAsync(catalog, new PlanRequest(operation, version), Options(db) with { DryRun = dryRun }, Cancellation);

    private async Task<StatusReport> StatusAsync(ISpecDatabase db, IEnumerable<Type> migrations) =>
        await Orchestrator().StatusAsync(Catalog(migrations), Options(db), Cancellation);

    private MigrationOrchestrator Orchestrator() => Orchestrator(engine.Engine);

    private static MigrationOrchestrator Orchestrator(IDatabaseEngine under) =>
        new(under, new ServiceCollection().BuildServiceProvider(), NullLogger<MigrationOrchestrator>.Instance);

    private static RunOptions Options(ISpecDatabase db) => new() { Session = db.Session, LockTimeout = TimeSpan.FromSeconds(30) };

    private static ProjectCatalog Catalog(IEnumerable<Type> migrations) => MigrationDiscovery.Build(migrations).Resolve("spec");

    // The same migrations, each loading its class only when first asked for, and saying so.
    private static ProjectCatalog Counting(IEnumerable<Type> migrations, List<string> loaded) =>
        new("spec", Catalog(migrations).Migrations.Select(m =>
        {
            var type = m.Type!;
            return m with { Type = null, LoadType = () => { loaded.Add(type.Name); return type; } };
        }));

    // "CreateGadgetsFailingUp" and "CreateGadgets" both make gadgets: the thing a migration's class name is about.
    private static string Thing(string name) =>
        new[] { "widgets", "gadgets", "gizmos" }.Single(t => name.Contains(t, StringComparison.Ordinal));
}
