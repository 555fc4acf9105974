using Stepwise.Execution;
using Stepwise.Observing;
using Stepwise.Planning;
using Stepwise.Versioning;

namespace Stepwise.Specification.Tests;

/// <summary>The audit log every engine keeps: one entry per run, who ran it, how it ended, and the filters of the <c>audit</c> command.</summary>
public abstract partial class LifecycleSpecification
{
    private static readonly AuditActor Deployer = new("deployer@ci", "runner", "pod-7", "shop-migrations", "0f1e2d3c", "registry.example.test/shop:1.1.0");

    [Fact]
    public async Task AuditLog_RecordsEachRun_WithWhoRanIt_HowItEnded_AndItsSteps()
    {
        await using var db = await engine.CreateDatabaseAsync();
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        await AuditedRunAsync(db, All, Operation.Install, V100, "staging");
        await Assert.ThrowsAsync<StepwiseException>(() => AuditedRunAsync(db, [M.Widgets, M.GadgetsFailingValidate, M.Gizmos], Operation.Upgrade, V110, "production"));

        var runs = await AuditAsync(db, new AuditQuery(10));

        Assert.Equal([("upgrade", "failed", "1.0.0", "1.1.0", "production"), ("install", "succeeded", null, "1.0.0", "staging")],
            runs.Select(static r => (r.Operation, r.Outcome, r.FromVersion, r.TargetVersion, r.Environment)));
        Assert.Equal([1, 1], runs.Select(static r => r.Steps));
        Assert.All(runs, static r =>
        {
            Assert.Equal("spec", r.Project);
            Assert.Equal(Deployer, new AuditActor(r.Actor, r.OsUser, "pod-7", r.ServiceAccount, r.GitCommit, r.Image));
            Assert.Equal(System.Environment.MachineName, r.Host);
            Assert.NotNull(r.FinishedAt);
            Assert.InRange(r.FinishedAt!.Value, r.StartedAt, DateTimeOffset.UtcNow.AddSeconds(1));
        });
        Assert.True(runs[1].StartedAt >= before, $"{runs[1].StartedAt} is before the run");
        Assert.Contains("Validate", runs[0].Message, StringComparison.Ordinal);
        Assert.Null(runs[1].Message);
        Assert.True(runs[0].Id > runs[1].Id);
        Assert.NotEqual(runs[0].RunId, runs[1].RunId);
        var history = await Orchestrator().HistoryAsync("spec", 10, Options(db), Cancellation);
        Assert.Equal(runs.Select(static r => r.RunId), history.Select(static h => h.RunId));
    }

    [Fact]
    public async Task AuditLog_RecordsARollback_AsARunOfItsOwn()
    {
        await using var db = await engine.CreateDatabaseAsync();
        await AuditedRunAsync(db, All, Operation.Install, V110, "staging");

        await AuditedRunAsync(db, All, Operation.Rollback, V100, "staging");

        var rollback = (await AuditAsync(db, new AuditQuery(10)))[0];
        Assert.Equal(("rollback", "succeeded", "1.1.0", "1.0.0", "staging", 2), (rollback.Operation, rollback.Outcome, rollback.FromVersion,
            rollback.TargetVersion, rollback.Environment, rollback.Steps));
        Assert.Equal(("deployer@ci", "0f1e2d3c"), (rollback.Actor, rollback.GitCommit));
        var history = await Orchestrator().HistoryAsync("spec", 2, Options(db), Cancellation);
        Assert.All(history, h => Assert.Equal((rollback.RunId, "down"), (h.RunId, h.Direction)));
    }

    [Fact]
    public async Task History_KeepsWhatEachStepSentToChangeTheDatabase_AndNothingOfTheRunnersOwn()
    {
        await using var db = await engine.CreateDatabaseAsync();
        await AuditedRunAsync(db, All, Operation.Install, V110, "staging");
        await AuditedRunAsync(db, All, Operation.Rollback, V100, "staging");

        var history = await Orchestrator().HistoryAsync("spec", 10, Options(db), Cancellation);

        Assert.Equal(5, history.Count);
        Assert.All(history, static h =>
        {
            Assert.False(string.IsNullOrWhiteSpace(h.Commands), $"{h.Direction} {h.Name} kept no commands");
            Assert.DoesNotContain("stepwise.", h.Commands, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task AuditLog_IsFilteredByProjectEnvironmentOutcomeRunIdAndTime()
    {
        await using var db = await engine.CreateDatabaseAsync();
        await AuditedRunAsync(db, All, Operation.Install, V100, "staging");
        await Assert.ThrowsAsync<StepwiseException>(() => AuditedRunAsync(db, [M.Widgets, M.GadgetsFailingValidate, M.Gizmos], Operation.Upgrade, V110, "production"));
        await AuditedRunAsync(db, All, Operation.Upgrade, V110, "production");
        var all = await AuditAsync(db, new AuditQuery(10));
        var install = all.Single(static r => r.Operation == "install");

        Assert.Equal(3, all.Count);
        Assert.Equal(["failed"], (await AuditAsync(db, new AuditQuery(10) { Outcome = "failed" })).Select(static r => r.Outcome));
        Assert.Equal(all.Where(r => r != install).Select(static r => r.Id),
            (await AuditAsync(db, new AuditQuery(10) { Environment = "production" })).Select(static r => r.Id));
        Assert.Equal([install.Id], (await AuditAsync(db, new AuditQuery(10) { Environment = "staging" })).Select(static r => r.Id));
        Assert.Equal([install.Id], (await AuditAsync(db, new AuditQuery(10) { RunId = install.RunId.ToString()[..8] })).Select(static r => r.Id));
        Assert.Equal([install.Id], (await AuditAsync(db, new AuditQuery(10) { RunId = install.RunId.ToString() })).Select(static r => r.Id));
        Assert.Empty(await AuditAsync(db, new AuditQuery(10) { Project = "another" }));
        Assert.Equal(3, (await AuditAsync(db, new AuditQuery(10) { Project = "spec", Since = install.StartedAt })).Count);
        Assert.Empty(await AuditAsync(db, new AuditQuery(10) { Since = DateTimeOffset.UtcNow.AddMinutes(5) }));
        Assert.Equal([all[0].Id], (await AuditAsync(db, new AuditQuery(1))).Select(static r => r.Id));
    }

    [Fact]
    public async Task AuditLog_OfAnUntouchedDatabase_IsEmpty_AndReadingItCreatesNothing()
    {
        await using var db = await engine.CreateDatabaseAsync();

        Assert.Empty(await AuditAsync(db, new AuditQuery(10)));

        var state = (await StatusAsync(db, All)).State;
        Assert.False(state.Initialized || state.SchemaCurrent);
    }

    private async Task AuditedRunAsync(ISpecDatabase db, Type[] migrations, Operation operation, ProjectVersion version, string environment) =>
        await Orchestrator().RunAsync(Catalog(migrations), new PlanRequest(operation, version),
            Options(db) with { Environment = environment, Who = Deployer }, Cancellation);

    private async Task<IReadOnlyList<AuditRun>> AuditAsync(ISpecDatabase db, AuditQuery query) =>
        await Orchestrator().AuditAsync(query, Options(db), Cancellation);
}
