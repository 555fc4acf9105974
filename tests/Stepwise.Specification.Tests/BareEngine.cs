using Stepwise.Execution;
using Stepwise.State;
using Stepwise.Versioning;

namespace Stepwise.Specification.Tests;

/// <summary>
/// An engine as bare as the seams allow: the real engine underneath, with every optional capability hidden (no
/// rehearsal, no backups, no held checks), as an engine that lacks them would be. The runner must ask, not assume.
/// </summary>
internal sealed class BareEngine(IDatabaseEngine engine) : IDatabaseEngine
{
    public string Name => engine.Name;

    public int DefaultPort => engine.DefaultPort;

    public Type ContextType => engine.ContextType;

    public async Task<IDatabaseSession> OpenAsync(SessionOptions options, CancellationToken cancellationToken) =>
        new BareSession(await engine.OpenAsync(options, cancellationToken));

    private sealed class BareSession(IDatabaseSession session) : IDatabaseSession
    {
        public string Target => session.Target;

        public string StoreName => session.StoreName;

        public int StoreSteps => session.StoreSteps;

        public string DeadHolderRelease => session.DeadHolderRelease;

        public Task<int> ReadStoreVersionAsync(CancellationToken cancellationToken) => session.ReadStoreVersionAsync(cancellationToken);

        public Task<IStoreEvolution> BeginStoreEvolutionAsync(CancellationToken cancellationToken) => session.BeginStoreEvolutionAsync(cancellationToken);

        public Task<IAsyncDisposable?> TryAcquireLockAsync(string project, CancellationToken cancellationToken) => session.TryAcquireLockAsync(project, cancellationToken);

        public Task<string?> DescribeLockHolderAsync(string project) => session.DescribeLockHolderAsync(project);

        public Task<DatabaseState> ReadStateAsync(string project, CancellationToken cancellationToken) => session.ReadStateAsync(project, cancellationToken);

        public Task<IReadOnlyDictionary<string, string?>> ListProjectsAsync(CancellationToken cancellationToken) => session.ListProjectsAsync(cancellationToken);

        public Task<long> BeginRunAsync(RunRecord run, CancellationToken cancellationToken) => session.BeginRunAsync(run, cancellationToken);

        public Task EndRunAsync(long auditId, RunOutcome outcome, string? message, CancellationToken cancellationToken) =>
            session.EndRunAsync(auditId, outcome, message, cancellationToken);

        public Task<IReadOnlyList<AuditRun>> ReadAuditAsync(AuditQuery query, CancellationToken cancellationToken) =>
            session.ReadAuditAsync(query, cancellationToken);

        public async Task<IStepScope> BeginStepAsync(StepStart step, CancellationToken cancellationToken) =>
            new BareScope(await session.BeginStepAsync(step, cancellationToken));

        public Task RecordFailureAsync(StepRecord record, CancellationToken cancellationToken) => session.RecordFailureAsync(record, cancellationToken);

        public Task SetVersionAsync(string project, ProjectVersion? version, CancellationToken cancellationToken) =>
            session.SetVersionAsync(project, version, cancellationToken);

        public Task<IReadOnlyList<AppliedMigration>> ReadUnrecordedAsync(string project, CancellationToken cancellationToken) =>
            session.ReadUnrecordedAsync(project, cancellationToken);

        public Task<IReadOnlyList<HistoryEntry>> ReadHistoryAsync(string project, int limit, CancellationToken cancellationToken) =>
            session.ReadHistoryAsync(project, limit, cancellationToken);

        public Task RepairAsync(RunRecord run, IReadOnlyList<RepairAction> actions, CancellationToken cancellationToken) =>
            session.RepairAsync(run, actions, cancellationToken);

        public StepwiseException? Explain(Exception exception) => session.Explain(exception);

        public ValueTask DisposeAsync() => session.DisposeAsync();
    }

    private sealed class BareScope(IStepScope scope) : IStepScope
    {
        public IMigrationContext Context => scope.Context;

        public Task CompleteAsync(StepRecord record, CancellationToken cancellationToken) => scope.CompleteAsync(record, cancellationToken);

        public ValueTask DisposeAsync() => scope.DisposeAsync();
    }
}
