using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Stepwise.Catalog;
using Stepwise.Configuration;
using Stepwise.Core.Tests.Execution.Memory;
using Stepwise.Execution;
using Stepwise.Planning;
using Stepwise.Versioning;

namespace Stepwise.Core.Tests.Execution;

// The run coordinator and the step executor, on an engine that keeps its database in memory: what a run does in
// which order, what it records, and how it words a failure. The same lifecycle on real engines is the specification
// suite's.
public sealed class RunCoordinatorTests
{
    private static readonly ProjectVersion V900 = ProjectVersion.Parse("9.0.0");
    private static readonly ProjectVersion V910 = ProjectVersion.Parse("9.1.0");
    private static readonly Type[] Fruit = [typeof(AddApples), typeof(AddPears), typeof(AddPlums)];

    private readonly MemoryDatabase _db = new();

    [Fact]
    public async Task Install_EvolvesTheStore_TakesTheLock_RunsTheStepsInOrder_AndClosesTheAuditEntry()
    {
        var result = await RunAsync(Fruit, Operation.Install, V910);

        Assert.Equal(3, result.StepsRun);
        Assert.Equal(1, _db.StoreVersion);
        Assert.Equal(1, _db.LockAttempts);
        Assert.False(_db.LockHeld);
        Assert.Equal(["AddApples", "AddPears", "AddPlums"], _db.History.Select(static h => h.Start.Migration.Name));
        // An install records its version once, with its last step: until then the install shows as under way.
        Assert.Equal([null, null, "9.1.0"], _db.History.Select(static h => h.VersionAfter?.ToString()));
        Assert.Equal("9.1.0", _db.Version);
        var (run, outcome, _) = Assert.Single(_db.Audit);
        Assert.Equal(("install", RunOutcome.Succeeded), (run.Operation, outcome));
    }

    [Fact]
    public async Task TransactionAbortedByTheServer_RunsTheStepAgain_AndRecordsItOnce()
    {
        _db.TransientCommitFailures = 2;

        var result = await RunAsync(Fruit, Operation.Install, V910);

        Assert.Equal(3, result.StepsRun);
        Assert.Equal(5, _db.Commits); // the first step's commit failed twice, then every step committed once
        Assert.Equal(["AddApples", "AddPears", "AddPlums"], _db.History.Select(static h => h.Start.Migration.Name));
        Assert.All(_db.History, static h => Assert.Equal(StepStatus.Succeeded, h.Status));
    }

    [Fact]
    public async Task TransactionAbortedEveryTime_FailsAfterTheLastAttempt()
    {
        _db.TransientCommitFailures = int.MaxValue;

        var failure = await Assert.ThrowsAsync<StepwiseException>(() => RunAsync(Fruit, Operation.Install, V910));

        Assert.Equal(FailureKind.MigrationFailed, failure.Kind);
        Assert.Contains("aborted the transaction", failure.Message, StringComparison.Ordinal);
        Assert.Equal(StepExecutor.TransientAttempts, _db.Commits);
        Assert.Equal([StepStatus.Failed], _db.History.Select(static h => h.Status));
        Assert.Empty(_db.Things);
    }

    [Fact]
    public async Task WithoutTransactions_AStepThatFailsValidate_IsUndoneByItsDown()
    {
        _db.NoTransactions = true;

        var failure = await Assert.ThrowsAsync<StepwiseException>(() => RunAsync([typeof(AddApples), typeof(AddPearsFailingValidate)], Operation.Install, V910));

        Assert.Equal(FailureKind.ValidationFailed, failure.Kind);
        Assert.Contains("the migration's Down undid the step, and its PreCheck holds again", failure.Message, StringComparison.Ordinal);
        Assert.Equal(["apples"], _db.Things);
        Assert.Equal(["AddApples"], _db.Ledger.Values.Select(static e => e.Migration.Name)); // no mark left for pears
        Assert.Equal([StepStatus.Succeeded, StepStatus.Failed], _db.History.Select(static h => h.Status));
    }

    [Fact]
    public async Task WithoutTransactions_AStepWhoseDownCannotUndoIt_IsMarkedFailed_AndStopsTheNextRun()
    {
        _db.NoTransactions = true;
        Type[] stuck = [typeof(AddApples), typeof(AddPearsFailingValidateAndDown)];

        var failure = await Assert.ThrowsAsync<StepwiseException>(() => RunAsync(stuck, Operation.Install, V910));

        Assert.Equal(FailureKind.ValidationFailed, failure.Kind);
        Assert.Contains("undoing the step with its Down did not work (Down failed: InvalidOperationException: the pears are stuck)", failure.Message,
            StringComparison.Ordinal);
        Assert.Contains("pears", _db.Things);
        Assert.Equal(LedgerMark.Failed, _db.Ledger.Values.Single(static e => e.Migration.Name == "AddPearsFailingValidateAndDown").Mark);

        var next = await Assert.ThrowsAsync<StepwiseException>(() => RunAsync(stuck, Operation.Install, V910));
        Assert.Equal(FailureKind.InvalidState, next.Kind);
    }

    [Fact]
    public async Task WithoutTransactions_StepsThatPass_AreAppliedAsUsual()
    {
        _db.NoTransactions = true;

        var result = await RunAsync(Fruit, Operation.Install, V910);

        Assert.Equal(3, result.StepsRun);
        Assert.All(_db.Ledger.Values, static e => Assert.Equal(LedgerMark.Applied, e.Mark));
    }

    [Fact]
    public async Task StepTheDatabaseCannotRun_IsRefusedBeforeTheFirstStep()
    {
        _db.Refuse = static m => m.Name == "AddPlums" ? "AddPlums needs what the memory database lacks" : null;

        var failure = await Assert.ThrowsAsync<StepwiseException>(() => RunAsync(Fruit, Operation.Install, V910));

        Assert.Equal(FailureKind.Usage, failure.Kind);
        Assert.Equal("AddPlums needs what the memory database lacks; nothing was run.", failure.Message);
        Assert.Empty(_db.History);
        Assert.Empty(_db.Things);
        Assert.Empty(_db.Audit);
    }

    [Fact]
    public async Task RunWithNothingToDo_TakesNoLock_AndWritesNoAuditEntry()
    {
        await RunAsync(Fruit, Operation.Install, V910);
        var (locks, audit) = (_db.LockAttempts, _db.Audit.Count);

        var again = await RunAsync(Fruit, Operation.Upgrade, V910);

        Assert.Equal(0, again.StepsRun);
        Assert.Equal((locks, audit), (_db.LockAttempts, _db.Audit.Count));
    }

    [Fact]
    public async Task AnotherRunnerFinishingBetweenTheTwoReads_LeavesNothingToDo()
    {
        await RunAsync(Fruit, Operation.Install, V900);
        _db.BeforeLock = () => RunAsync(Fruit, Operation.Upgrade, V910);

        var late = await RunAsync(Fruit, Operation.Upgrade, V910);

        // The first read planned two steps; the locked read finds them applied and plans again.
        Assert.Equal(0, late.StepsRun);
        Assert.Equal(["AddApples", "AddPears", "AddPlums"], _db.History.Select(static h => h.Start.Migration.Name));
        Assert.Equal("9.1.0", _db.Version);
    }

    [Fact]
    public async Task LockHeldByAnotherRunner_TimesOut_BeforeAnyStep()
    {
        _db.LockedElsewhere = true;

        var failure = await Assert.ThrowsAsync<StepwiseException>(() => RunAsync(Fruit, Operation.Install, V910, TimeSpan.FromMilliseconds(120)));

        Assert.Equal(FailureKind.LockTimeout, failure.Kind);
        Assert.Contains("in the memory database for more than 0 s (held by another test)", failure.Message, StringComparison.Ordinal);
        Assert.Empty(_db.History);
        Assert.Empty(_db.Things);
    }

    [Fact]
    public async Task FailingPreCheck_RunsNothing_SaysWhatItExpectedAndFound_AndClosesTheRunAsFailed()
    {
        await RunAsync(Fruit, Operation.Install, V900);
        _db.Things.Add("pears");

        var failure = await Assert.ThrowsAsync<StepwiseException>(() => RunAsync(Fruit, Operation.Upgrade, V910));

        Assert.Equal(FailureKind.PreCheckFailed, failure.Kind);
        Assert.StartsWith("PreCheck of AddPears (9.1.0/upgrade/schema-changes/1) failed: expected: pears is not there yet; found: pears is there.",
            failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("plums", _db.Things);
        Assert.Equal(RunOutcome.Failed, _db.Audit[^1].Outcome);
        Assert.Equal("9.0.0", _db.Version);
    }

    [Fact]
    public async Task FailingValidate_OfATransactionalStep_KeepsNothingOfIt()
    {
        await RunAsync(Fruit, Operation.Install, V900);
        Type[] set = [typeof(AddApples), typeof(AddPearsFailingValidate), typeof(AddPlums)];

        var failure = await Assert.ThrowsAsync<StepwiseException>(() => RunAsync(set, Operation.Upgrade, V910));

        Assert.Equal(FailureKind.ValidationFailed, failure.Kind);
        Assert.Contains("The step was rolled back", failure.Message, StringComparison.Ordinal);
        Assert.Equal(["apples"], _db.Things);
        Assert.DoesNotContain(_db.Ledger.Values, static e => e.Mark == LedgerMark.Failed);
        Assert.Equal(StepStatus.Failed, _db.History[^1].Status);
    }

    [Fact]
    public async Task FailingUp_OutsideATransaction_IsMarkedFailed_AndStopsTheNextRunUntilSettled()
    {
        Type[] set = [typeof(AddApples), typeof(AddPears), typeof(AddPlumsFailingUp)];

        var failure = await Assert.ThrowsAsync<StepwiseException>(() => RunAsync(set, Operation.Install, V910));

        Assert.Equal(FailureKind.MigrationFailed, failure.Kind);
        Assert.Contains("non-transactional, so its changes were not undone", failure.Message, StringComparison.Ordinal);
        Assert.Contains("plums", _db.Things);
        Assert.Equal(LedgerMark.Failed, Assert.Single(_db.Ledger.Values, static e => e.Migration.Name == "AddPlumsFailingUp").Mark);
        var again = await Assert.ThrowsAsync<StepwiseException>(() => RunAsync(set, Operation.Install, V910));
        Assert.Contains("AddPlumsFailingUp", again.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rollback_RunsDownInReverse_ForgetsTheSteps_AndRecordsTheVersionBelow()
    {
        await RunAsync(Fruit, Operation.Install, V910);

        var result = await RunAsync(Fruit, Operation.Rollback, V900);

        Assert.Equal(["AddPlums", "AddPears"], result.Plan.Steps.Select(static s => s.Migration.Name));
        Assert.Equal(["apples"], _db.Things);
        Assert.Equal(["AddApples"], _db.Ledger.Values.Select(static e => e.Migration.Name));
        Assert.Equal("9.0.0", _db.Version);
    }

    [Fact]
    public async Task RequiredProjectAtTheWrongVersion_RefusesBeforeAnyStep()
    {
        _db.OtherProjects["billing"] = "1.0.0";
        var catalog = Catalog(Fruit).WithConfig(ProjectConfigReader.Read(
            """
            apiVersion: v1
            kind: ProjectConfig
            metadata: { name: core-tests }
            spec:
              requires: { billing: ">=2.0.0" }
            """, "project-config.yaml"));

        var failure = await Assert.ThrowsAsync<StepwiseException>(() =>
            Orchestrator().RunAsync(catalog, new PlanRequest(Operation.Install, V910), Options(), TestContext.Current.CancellationToken));

        Assert.Equal(FailureKind.InvalidState, failure.Kind);
        Assert.Contains("core-tests requires billing >=2.0.0, but the database has billing at 1.0.0", failure.Message, StringComparison.Ordinal);
        Assert.Empty(_db.Things);
    }

    [Fact]
    public async Task StepWrittenForAnotherEngine_IsRefusedBeforeTheStoreOrTheLockIsTouched()
    {
        var foreign = new ProjectCatalog("core-tests", Catalog(Fruit).Migrations.Select(static m => m with { ContextType = typeof(TestMigrations.ThingsContext) }));

        var failure = await Assert.ThrowsAsync<StepwiseException>(() =>
            Orchestrator().RunAsync(foreign, new PlanRequest(Operation.Install, V910), Options(), TestContext.Current.CancellationToken));

        Assert.Equal(FailureKind.Usage, failure.Kind);
        Assert.Contains("--database-type memory provides MemoryContext, but AddApples expects ThingsContext", failure.Message, StringComparison.Ordinal);
        Assert.Equal((0, 0), (_db.StoreVersion, _db.LockAttempts));
    }

    [Fact]
    public async Task WhatAPhaseSetsInItsExecutionContext_IsGoneWhenTheNextPhaseBegins()
    {
        await RunAsync([typeof(AddApples), typeof(AddPearsMarkingItsPreCheck)], Operation.Install, V910);

        Assert.Equal([null, null], AddPearsMarkingItsPreCheck.SeenAfterPreCheck); // by Up, then by Validate
    }

    [Fact]
    public async Task EngineFailingToHoldChecksBetweenPhases_IsNotBlamedOnThePhaseBefore()
    {
        await RunAsync(Fruit, Operation.Install, V910);
        _db.HoldChecksFailure = new InvalidOperationException("the engine could not hold the checks");

        var failure = await Assert.ThrowsAsync<StepwiseException>(() => RunAsync(Fruit, Operation.Rollback, V900));

        // Down ran and succeeded; what failed is the engine, between Down and the rollback check: the step's, not Down's.
        Assert.Equal(FailureKind.MigrationFailed, failure.Kind);
        Assert.StartsWith("AddPlums (", failure.Message, StringComparison.Ordinal);
        Assert.Contains("failed: InvalidOperationException: the engine could not hold the checks", failure.Message, StringComparison.Ordinal);
    }

    private Task<RunResult> RunAsync(Type[] migrations, Operation operation, ProjectVersion version, TimeSpan? lockTimeout = null) =>
        Orchestrator().RunAsync(Catalog(migrations), new PlanRequest(operation, version), Options(lockTimeout), TestContext.Current.CancellationToken);

    private MigrationOrchestrator Orchestrator() =>
        new(new MemoryEngine(_db), new ServiceCollection().BuildServiceProvider(), NullLogger<MigrationOrchestrator>.Instance);

    private static RunOptions Options(TimeSpan? lockTimeout = null) => new()
    {
        Session = new SessionOptions(new DatabaseEndpoint { ConnectionString = "memory" }),
        LockTimeout = lockTimeout ?? TimeSpan.FromSeconds(5),
    };

    private static ProjectCatalog Catalog(Type[] migrations) => MigrationDiscovery.Build(migrations).Resolve("core-tests");
}
