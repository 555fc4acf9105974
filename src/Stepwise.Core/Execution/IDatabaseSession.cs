using Stepwise.State;
using Stepwise.Versioning;

namespace Stepwise.Execution;

/// <summary>
/// One runner's conversation with the database, as narrow seams: the ledger of what is applied, the audit log, the
/// step transactions, the runner's own store and the project's lock. Read-only methods never create anything, so
/// <c>status</c>, <c>plan</c> and <c>--dry-run</c> leave no trace. What only some engines can do is a capability the
/// session may also implement (<see cref="IRehearsals"/>, <see cref="IBackups"/>).
/// </summary>
public interface IDatabaseSession : ILedger, IAuditLog, IStepTransactions, IStateStore, IProjectLock, IAsyncDisposable
{
    /// <summary>Where the session is connected, for messages (never contains secrets).</summary>
    string Target { get; }

    /// <summary>
    /// Objects an interrupted or failed non-transactional step can leave unusable, described for a person (PostgreSQL:
    /// indexes left INVALID by <c>CREATE INDEX CONCURRENTLY</c>). Running such a step again would not repair them.
    /// </summary>
    Task<IReadOnlyList<string>> FindLeftoversAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>([]);

    /// <summary>
    /// Explains a failure that is the database's, not the migration's: the connection was lost, or the user lacks a
    /// privilege. <c>null</c> for anything else.
    /// </summary>
    StepwiseException? Explain(Exception exception) => null;
}

/// <summary>
/// What the database records about a project's migrations: its version, the applied (and failed or unfinished) steps,
/// and their history. The marks themselves follow <see cref="LedgerRules"/>.
/// </summary>
public interface ILedger
{
    /// <summary>Reads the project's version, applied and failed migrations. Creates nothing; an uninitialized database reads as empty.</summary>
    Task<DatabaseState> ReadStateAsync(string project, CancellationToken cancellationToken);

    /// <summary>Every project the database records, with its version (<c>null</c> while an install is under way).</summary>
    Task<IReadOnlyDictionary<string, string?>> ListProjectsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Migrations the history records as applied whose applied record is missing (see <see cref="DatabaseState.Unrecorded"/>).
    /// </summary>
    Task<IReadOnlyList<AppliedMigration>> ReadUnrecordedAsync(string project, CancellationToken cancellationToken);

    /// <summary>Reads the newest history entries of a project, newest first.</summary>
    Task<IReadOnlyList<HistoryEntry>> ReadHistoryAsync(string project, int limit, CancellationToken cancellationToken);

    /// <summary>Records a failed step in history, outside the failed step's transaction.</summary>
    Task RecordFailureAsync(StepRecord record, CancellationToken cancellationToken);

    /// <summary>
    /// Sets the project's version without running a step (a version with nothing to run on this path); <c>null</c>
    /// forgets the project (a rollback undid an install stopped part-way).
    /// </summary>
    Task SetVersionAsync(string project, ProjectVersion? version, CancellationToken cancellationToken);

    /// <summary>
    /// Applies repairs (<see cref="LedgerRules.AfterRepair"/>): clears failed non-transactional steps, aligns stored
    /// checksums with the code, recording each change in history.
    /// </summary>
    Task RepairAsync(RunRecord run, IReadOnlyList<RepairAction> actions, CancellationToken cancellationToken);
}

/// <summary>The audit log: one entry per run, opened when it starts and closed with its outcome.</summary>
public interface IAuditLog
{
    /// <summary>Records the start of a run in the audit log and returns its id.</summary>
    Task<long> BeginRunAsync(RunRecord run, CancellationToken cancellationToken);

    /// <summary>Records the end of a run in the audit log.</summary>
    Task EndRunAsync(long auditId, RunOutcome outcome, string? message, CancellationToken cancellationToken);

    /// <summary>Reads the entries <paramref name="query"/> selects, newest first. Creates nothing; an uninitialized database has none.</summary>
    Task<IReadOnlyList<AuditRun>> ReadAuditAsync(AuditQuery query, CancellationToken cancellationToken);
}

/// <summary>Where steps run.</summary>
public interface IStepTransactions
{
    /// <summary>
    /// Starts a step: a transaction (unless the migration is non-transactional) and a context for the migration.
    /// Disposing the scope without completing it rolls the transaction back.
    /// </summary>
    Task<IStepScope> BeginStepAsync(StepStart step, CancellationToken cancellationToken);
}

/// <summary>A transaction in which steps run for practice only; it is always rolled back.</summary>
public interface IRehearsal : IAsyncDisposable
{
    /// <summary>A context for a step, inside the rehearsal's transaction.</summary>
    IMigrationContext ContextFor(StepStart step);
}

/// <summary>
/// A running step: its context, and the commit that records it. It may also implement <see cref="IStepBackup"/> and
/// <see cref="IHeldChecks"/>.
/// </summary>
public interface IStepScope : IAsyncDisposable
{
    /// <summary>The context handed to the migration.</summary>
    IMigrationContext Context { get; }

    /// <summary>Records the step (applied state, history, version) and commits, atomically where the database allows.</summary>
    /// <exception cref="MigrationCheckException">A deferred closing check failed; nothing was committed.</exception>
    Task CompleteAsync(StepRecord record, CancellationToken cancellationToken);
}
