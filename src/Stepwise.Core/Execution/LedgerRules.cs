namespace Stepwise.Execution;

/// <summary>What a record leaves in a migration's applied entry.</summary>
public enum LedgerMark
{
    /// <summary>The entry stays as it is.</summary>
    Keep,

    /// <summary>The migration is applied.</summary>
    Applied,

    /// <summary>A non-transactional <c>Up</c> failed part-way: the next run stops until it is rolled back or repaired.</summary>
    Failed,

    /// <summary>The entry is removed: the migration is not applied.</summary>
    Forget,

    /// <summary>A non-transactional <c>Up</c> has started and not finished.</summary>
    Running,

    /// <summary>A non-transactional <c>Down</c> has started and not finished.</summary>
    Reverting,
}

/// <summary>
/// The bookkeeping every engine keeps, decided here once: an engine stores the marks, it does not choose them.
/// </summary>
public static class LedgerRules
{
    /// <summary>
    /// The mark a step's outcome leaves. A successful up marks the migration applied; a successful down forgets it; an up
    /// that failed outside a transaction is marked failed, so that the next run stops until it is rolled back or
    /// repaired. Anything else outside a transaction (a failed down, an interrupted step) keeps the mark it got when it
    /// started (<see cref="AtStart"/>): the next run checks what it left. A transactional step that failed left nothing.
    /// </summary>
    public static LedgerMark AfterStep(StepStatus status, MigrationDirection direction, bool transactional) => (status, direction, transactional) switch
    {
        (StepStatus.Succeeded, MigrationDirection.Up, _) => LedgerMark.Applied,
        (StepStatus.Succeeded, MigrationDirection.Down, _) => LedgerMark.Forget,
        (StepStatus.Failed, MigrationDirection.Up, false) => LedgerMark.Failed,
        _ => LedgerMark.Keep,
    };

    /// <summary>Whether a step's record moves the project's version to the step's <see cref="StepRecord.VersionAfter"/>: only a completed step.</summary>
    public static bool MovesVersion(StepStatus status) => status == StepStatus.Succeeded;

    /// <summary>
    /// The mark a non-transactional step gets, committed before its first statement, so that a runner killed during the
    /// step leaves it behind; <c>null</c> for a transactional step, whose transaction leaves nothing behind.
    /// </summary>
    public static LedgerMark? AtStart(bool transactional, MigrationDirection direction) =>
        transactional ? null : direction == MigrationDirection.Up ? LedgerMark.Running : LedgerMark.Reverting;

    /// <summary>What a repair leaves: the mark, and whether the migration counts as applied afterwards (recorded in its history).</summary>
    public static (LedgerMark Mark, bool LeavesApplied) AfterRepair(RepairKind kind) => kind switch
    {
        RepairKind.AlignChecksum or RepairKind.MarkApplied or RepairKind.RestoreRecord => (LedgerMark.Applied, true),
        _ => (LedgerMark.Forget, false),
    };

    /// <summary>
    /// The mark a step written for a transaction and run without one (<see cref="ICompensatingScope"/>) leaves when it
    /// failed: nothing when the migration's Down undid it, else failed, so that the next run stops until it is rolled
    /// back or repaired.
    /// </summary>
    public static LedgerMark AfterCompensation(bool undone) => undone ? LedgerMark.Forget : LedgerMark.Failed;
}
