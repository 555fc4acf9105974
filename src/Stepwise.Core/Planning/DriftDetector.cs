using Stepwise.Catalog;
using Stepwise.State;

namespace Stepwise.Planning;

/// <summary>How an applied migration differs from the code.</summary>
public enum DriftKind
{
    /// <summary>The migration's code changed after it was applied.</summary>
    Changed,

    /// <summary>The migration was applied but is no longer in the code.</summary>
    Missing,

    /// <summary>The history says the migration is applied, but its applied record is gone (the state was edited by hand).</summary>
    Unrecorded,
}

/// <summary>One applied migration that no longer matches the code.</summary>
public sealed record DriftEntry(string Key, string Name, DriftKind Kind, string AppliedChecksum, string? CurrentChecksum);

/// <summary>Compares what the database applied with the code, by checksum. Pure, like the planner.</summary>
public static class DriftDetector
{
    /// <summary>Every applied migration whose code changed or disappeared, in apply order, then those whose applied record is gone.</summary>
    public static IReadOnlyList<DriftEntry> Detect(ProjectCatalog catalog, DatabaseState state)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(state);

        var drift = new List<DriftEntry>();
        foreach (var applied in state.Applied)
        {
            var migration = catalog.Find(applied.Key);
            if (migration is null)
            {
                drift.Add(new DriftEntry(applied.Key, applied.Name, DriftKind.Missing, applied.Checksum, null));
            }
            else if (!string.Equals(migration.Checksum, applied.Checksum, StringComparison.Ordinal))
            {
                drift.Add(new DriftEntry(applied.Key, migration.Name, DriftKind.Changed, applied.Checksum, migration.Checksum));
            }
        }

        // Only what the code still has: a rollback would miss exactly these (a migration no longer in the code cannot be undone anyway).
        foreach (var lost in state.Unrecorded)
        {
            if (catalog.Find(lost.Key) is { } migration)
            {
                drift.Add(new DriftEntry(lost.Key, migration.Name, DriftKind.Unrecorded, lost.Checksum, migration.Checksum));
            }
        }

        return drift;
    }
}
