using Stepwise.Execution;
using Stepwise.State;
using Stepwise.Versioning;

namespace Stepwise.Core.Tests.Execution.Memory;

internal sealed class MemorySession(MemoryDatabase db) : IDatabaseSession, IStepRequirements, ITransientFailures
{
    public bool IsTransient(Exception exception) => exception is MemoryTransientException;

    public string? Refusal(Stepwise.Catalog.MigrationDescriptor migration) => db.Refuse?.Invoke(migration);

    public string Target => "the memory database";

    public string StoreName => "memory store";

    public int StoreSteps => 1;

    public string DeadHolderRelease => "A memory lock is let go when its test ends.";

    public Task<int> ReadStoreVersionAsync(CancellationToken cancellationToken) => Task.FromResult(db.StoreVersion);

    public Task<IStoreEvolution> BeginStoreEvolutionAsync(CancellationToken cancellationToken) => Task.FromResult<IStoreEvolution>(new Evolution(db));

    public async Task<IAsyncDisposable?> TryAcquireLockAsync(string project, CancellationToken cancellationToken)
    {
        if (db.BeforeLock is { } other)
        {
            db.BeforeLock = null;
            await other();
        }

        db.LockAttempts++;
        if (db.LockedElsewhere || db.LockHeld)
        {
            return null;
        }

        db.LockHeld = true;
        return new Release(db);
    }

    public Task<string?> DescribeLockHolderAsync(string project) => Task.FromResult<string?>(db.LockedElsewhere ? "another test" : null);

    public Task<DatabaseState> ReadStateAsync(string project, CancellationToken cancellationToken)
    {
        if (db.StoreVersion == 0)
        {
            return Task.FromResult(DatabaseState.Empty(project));
        }

        var marks = db.Ledger.Values.OrderBy(static e => e.Migration.Sequence).ToArray();
        return Task.FromResult(new DatabaseState
        {
            Project = project,
            Initialized = true,
            SchemaCurrent = db.StoreVersion == StoreSteps,
            CurrentVersion = db.Version,
            Applied = marks.Where(static e => e.Mark == LedgerMark.Applied).Select(static e => e.Migration).ToArray(),
            Failed = marks.Where(static e => e.Mark == LedgerMark.Failed).Select(static e => e.Migration).ToArray(),
            Interrupted = marks.Where(static e => e.Mark is LedgerMark.Running or LedgerMark.Reverting)
                .Select(static e => new InterruptedMigration(e.Migration, e.Mark == LedgerMark.Running ? MigrationDirection.Up : MigrationDirection.Down)).ToArray(),
        });
    }

    public Task<IReadOnlyDictionary<string, string?>> ListProjectsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, string?>>(db.OtherProjects);

    public Task<IReadOnlyList<AppliedMigration>> ReadUnrecordedAsync(string project, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<AppliedMigration>>([]);

    public Task<IReadOnlyList<HistoryEntry>> ReadHistoryAsync(string project, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<HistoryEntry>>([]);

    public Task RecordFailureAsync(StepRecord record, CancellationToken cancellationToken)
    {
        Record(db, record);
        return Task.CompletedTask;
    }

    public Task SetVersionAsync(string project, ProjectVersion? version, CancellationToken cancellationToken)
    {
        db.Version = version?.ToString();
        return Task.CompletedTask;
    }

    public Task RepairAsync(RunRecord run, IReadOnlyList<RepairAction> actions, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The memory engine's tests do not repair.");

    public Task<long> BeginRunAsync(RunRecord run, CancellationToken cancellationToken)
    {
        db.Audit.Add((run, null, null));
        return Task.FromResult((long)db.Audit.Count - 1);
    }

    public Task<IReadOnlyList<AuditRun>> ReadAuditAsync(AuditQuery query, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The memory engine's tests read its audit list directly.");

    public Task EndRunAsync(long auditId, RunOutcome outcome, string? message, CancellationToken cancellationToken)
    {
        db.Audit[(int)auditId] = (db.Audit[(int)auditId].Run, outcome, message);
        return Task.CompletedTask;
    }

    public Task<IStepScope> BeginStepAsync(StepStart step, CancellationToken cancellationToken)
    {
        var inTransaction = step.Migration.Transactional && !db.NoTransactions;
        if (LedgerRules.AtStart(inTransaction, step.Direction) is { } mark)
        {
            Mark(db, step, mark);
        }

        var scope = new Scope(db, step, inTransaction);
        return Task.FromResult<IStepScope>(step.Migration.Transactional && !inTransaction ? new Compensating(db, scope) : scope);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static void Record(MemoryDatabase db, StepRecord record)
    {
        db.History.Add(record);
        Mark(db, record.Start, LedgerRules.AfterStep(record.Status, record.Start.Direction, record.Start.Migration.Transactional));
        if (LedgerRules.MovesVersion(record.Status))
        {
            db.ProjectRecorded = true;
            db.Version = record.VersionAfter?.ToString() ?? db.Version;
        }
    }

    private static void Mark(MemoryDatabase db, StepStart step, LedgerMark mark)
    {
        var migration = step.Migration;
        switch (mark)
        {
            case LedgerMark.Keep:
                return;
            case LedgerMark.Forget:
                db.Ledger.Remove(migration.Key);
                return;
            case LedgerMark.Reverting:
                db.Ledger[migration.Key] = (db.Ledger[migration.Key].Migration, mark);
                return;
            default:
                db.Ledger[migration.Key] = (new AppliedMigration(migration.Key, migration.Version.ToString(), migration.Name, migration.Checksum,
                    db.History.Count + db.Ledger.Count, DateTimeOffset.UtcNow, migration.Transactional), mark);
                return;
        }
    }

    // A transactional step works on a copy of the things, kept only when the step completes.
    private sealed class Scope : IStepScope, IHeldChecks
    {
        private readonly MemoryDatabase _db;
        private readonly StepStart _step;
        private readonly HashSet<string> _things;

        public Scope(MemoryDatabase db, StepStart step, bool inTransaction)
        {
            _db = db;
            _step = step;
            _things = inTransaction ? new HashSet<string>(db.Things, StringComparer.Ordinal) : db.Things;
            Context = new MemoryContext(step.Run.Project, step.Direction, _things);
        }

        public IMigrationContext Context { get; }

        // Holds nothing: a memory check answers at once. It only fails when a test says so, as a faulty engine's would.
        public bool MayHoldPreChecks => false;

        public void HoldChecks()
        {
            if (_db.HoldChecksFailure is { } failure)
            {
                throw failure;
            }
        }

        public Task CompleteAsync(StepRecord record, CancellationToken cancellationToken)
        {
            _db.Commits++;
            if (_step.Migration.Transactional && _db.TransientCommitFailures > 0)
            {
                _db.TransientCommitFailures--;
                throw new MemoryTransientException();
            }

            if (!ReferenceEquals(_things, _db.Things))
            {
                _db.Things.Clear();
                _db.Things.UnionWith(_things);
            }

            Record(_db, record);
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    // A step written for a transaction, on a database without: its changes are kept as they go.
    private sealed class Compensating(MemoryDatabase db, Scope scope) : IStepScope, ICompensatingScope
    {
        public IMigrationContext Context => scope.Context;

        public Task CompleteAsync(StepRecord record, CancellationToken cancellationToken) => scope.CompleteAsync(record, cancellationToken);

        public Task RecordFailedAsync(StepRecord record, bool undone, CancellationToken cancellationToken)
        {
            db.History.Add(record);
            Mark(db, record.Start, LedgerRules.AfterCompensation(undone));
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync() => scope.DisposeAsync();
    }

    private sealed class Evolution(MemoryDatabase db) : IStoreEvolution
    {
        private int _applied = db.StoreVersion;

        public Task<int> ReadStoreVersionAsync(CancellationToken cancellationToken) => Task.FromResult(db.StoreVersion);

        public Task ApplyStepAsync(int step, CancellationToken cancellationToken)
        {
            _applied = step;
            return Task.CompletedTask;
        }

        public Task CommitAsync(CancellationToken cancellationToken)
        {
            db.StoreVersion = _applied;
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class Release(MemoryDatabase db) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            db.LockHeld = false;
            return ValueTask.CompletedTask;
        }
    }
}
