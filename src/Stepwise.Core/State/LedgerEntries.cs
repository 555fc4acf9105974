using Stepwise.Execution;

namespace Stepwise.State;

/// <summary>
/// A project's applied entries as every engine stores them, a migration with a status word, and the one way they are
/// read back into <see cref="DatabaseState"/>: <c>applied</c>, <c>failed</c>, or interrupted (<c>running</c> an
/// <c>Up</c>, <c>reverting</c> a <c>Down</c>).
/// </summary>
public static class LedgerEntries
{
    /// <summary>The status word an entry with <paramref name="mark"/> is stored under.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="mark"/> leaves no entry (<see cref="LedgerMark.Keep"/>, <see cref="LedgerMark.Forget"/>).</exception>
    public static string StatusOf(LedgerMark mark) => mark switch
    {
        LedgerMark.Applied => "applied",
        LedgerMark.Failed => "failed",
        LedgerMark.Running => "running",
        LedgerMark.Reverting => "reverting",
        _ => throw new ArgumentOutOfRangeException(nameof(mark), mark, "This mark stores no entry."),
    };

    /// <summary>Sorts entries, given in the order they were applied, into applied, failed and interrupted migrations.</summary>
    public static (IReadOnlyList<AppliedMigration> Applied, IReadOnlyList<AppliedMigration> Failed, IReadOnlyList<InterruptedMigration> Interrupted) Sort(
        IEnumerable<(AppliedMigration Migration, string Status)> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var applied = new List<AppliedMigration>();
        var failed = new List<AppliedMigration>();
        var interrupted = new List<InterruptedMigration>();
        foreach (var (migration, status) in entries)
        {
            switch (status)
            {
                case "failed":
                    failed.Add(migration);
                    break;
                case "running":
                    interrupted.Add(new InterruptedMigration(migration, MigrationDirection.Up));
                    break;
                case "reverting":
                    interrupted.Add(new InterruptedMigration(migration, MigrationDirection.Down));
                    break;
                default:
                    applied.Add(migration);
                    break;
            }
        }

        return (applied, failed, interrupted);
    }
}
