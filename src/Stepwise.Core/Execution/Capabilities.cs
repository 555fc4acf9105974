using Stepwise.Versioning;

namespace Stepwise.Execution;

// What an engine may offer beyond the seams every engine has. The runner asks for each (a session or step scope that
// implements it) instead of assuming it, and says what a policy needs when an engine lacks it.

/// <summary>
/// The engine can run steps for practice, in one transaction that is always rolled back: the rehearsal of policy
/// <c>dry_run_first</c>, and the checks that judge what a stopped non-transactional step left.
/// </summary>
public interface IRehearsals
{
    /// <summary>Opens the rehearsal's transaction; disposing it rolls everything back, leaving no trace.</summary>
    Task<IRehearsal> BeginRehearsalAsync(CancellationToken cancellationToken);
}

/// <summary>The engine keeps copies of what upgrade steps change (policy <c>backup_before_upgrade</c>).</summary>
public interface IBackups
{
    /// <summary>Lists the project's backups.</summary>
    Task<IReadOnlyList<BackupRecord>> ListBackupsAsync(string project, CancellationToken cancellationToken);

    /// <summary>Drops the project's backups of one version, or all of them when <paramref name="version"/> is <c>null</c>; returns what was dropped.</summary>
    Task<IReadOnlyList<BackupRecord>> DropBackupsAsync(string project, ProjectVersion? version, CancellationToken cancellationToken);
}

/// <summary>A step scope that can copy what its step changes before the step runs (policy <c>backup_before_upgrade</c>).</summary>
public interface IStepBackup
{
    /// <summary>
    /// Copies the objects the migration declares it changes into the backup of its project and version (keeping an
    /// earlier copy of the same version, which holds the state before the version), within the step.
    /// </summary>
    Task<IReadOnlyList<BackupRecord>> BackupAsync(IReadOnlyList<string> objects, CancellationToken cancellationToken);
}

/// <summary>
/// A step scope that can hold a step's <c>Require…</c> checks back and verify them with the next statement the context
/// sends, or with the commit, instead of one round trip each. A held check that fails makes that statement, or
/// <see cref="IStepScope.CompleteAsync"/>, throw <see cref="MigrationCheckException"/>: the statement does not run, and
/// nothing is committed.
/// </summary>
public interface IHeldChecks
{
    /// <summary>
    /// Whether <c>PreCheck</c>'s checks may be held until <c>Up</c>'s statement, so that the server verifies them before it
    /// runs it: only when no code of the migration runs between them (PostgreSQL: <c>Up</c> only sends one statement of
    /// fixed text, <see cref="Catalog.MigrationDescriptor.UpSendsOneStatement"/>).
    /// </summary>
    bool MayHoldPreChecks { get; }

    /// <summary>From now on, the step's checks may be held (the runner says so before the closing checks, and before a <c>PreCheck</c> it may hold).</summary>
    void HoldChecks();
}

/// <summary>
/// A session that cannot run some steps as they are written (MongoDB on a standalone server has no transactions). The
/// runner asks about every planned step before the first one runs, and refuses the run when any is refused.
/// </summary>
public interface IStepRequirements
{
    /// <summary>Why <paramref name="migration"/> cannot run here, and what to change, in one sentence; <c>null</c> when it can.</summary>
    string? Refusal(Catalog.MigrationDescriptor migration);
}

/// <summary>
/// The engine knows failures after which a transactional step may simply run again: the server aborted the step's
/// transaction for a reason of its own, not the migration's (MongoDB: an error labelled <c>TransientTransactionError</c>,
/// such as a write conflict or a primary stepping down). The runner runs such a step again from its start, a bounded
/// number of times, before reporting it; a non-transactional step is never run again.
/// </summary>
public interface ITransientFailures
{
    /// <summary>Whether <paramref name="exception"/> (or an exception it wraps) aborted the transaction and leaves nothing behind.</summary>
    bool IsTransient(Exception exception);
}

/// <summary>
/// A step scope that runs, without a transaction, a step written for one (MongoDB on a standalone server). What the step
/// does is kept as it goes, and the engine marks the step as started before it runs. When its <c>PreCheck</c>, <c>Up</c>
/// or <c>Validate</c> fails, the runner undoes it with the migration's own <c>Down</c>, proves that with its
/// <c>PreCheck</c>, and records the outcome here.
/// </summary>
public interface ICompensatingScope
{
    /// <summary>Records the failed step, and the mark <see cref="LedgerRules.AfterCompensation"/> gives it.</summary>
    Task RecordFailedAsync(StepRecord record, bool undone, CancellationToken cancellationToken);
}

/// <summary>
/// A step scope that watches what its step does to everyone else while it runs (PostgreSQL: the sessions that waited
/// for its locks). Read after <see cref="IStepScope.CompleteAsync"/>, when the step's locks are released.
/// </summary>
public interface IStepImpactWatch
{
    /// <summary>What was seen; <c>null</c> when the step ended before the first look, or the database would not say.</summary>
    StepImpact? Impact { get; }
}

/// <summary>What a step did to the database: to its other sessions, as sampled while it ran, and to the size of what it changed.</summary>
/// <param name="BlockedSessions">The most sessions seen waiting for the step's locks at one time.</param>
/// <param name="LongestBlocked">The longest any of them was seen waiting.</param>
/// <param name="LongestWaited">The longest the step itself was seen waiting for another session's lock.</param>
public sealed record StepImpact(int BlockedSessions, TimeSpan LongestBlocked, TimeSpan LongestWaited)
{
    /// <summary>Whether the step ran long enough to be watched; when not, the three counts say nothing.</summary>
    public bool Watched { get; init; } = true;

    /// <summary>The tables the migration declares it changes (<see cref="ChangesAttribute"/>), with their size before and after.</summary>
    public IReadOnlyList<TableSize> TableSizes { get; init; } = [];
}

/// <summary>A table's size, indexes and TOAST included, before and after a step.</summary>
/// <param name="Table">The table, as the migration names it.</param>
/// <param name="BeforeBytes">Its size before the step.</param>
/// <param name="AfterBytes">Its size after the step; <c>null</c> when the step dropped it.</param>
public sealed record TableSize(string Table, long BeforeBytes, long? AfterBytes);
