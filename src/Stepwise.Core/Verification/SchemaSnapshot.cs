using Stepwise.Execution;

namespace Stepwise.Verification;

/// <summary>
/// A database's schema as facts, one line each, that mean the same in any database: names and definitions, never
/// object ids or data. Two snapshots of the same schema hold the same facts.
/// </summary>
/// <param name="Facts">The facts, sorted.</param>
/// <param name="Dump">A second reading by another tool (PostgreSQL: <c>pg_dump --schema-only</c>), when one is at hand.</param>
public sealed record SchemaSnapshot(IReadOnlyList<string> Facts, IReadOnlyList<string>? Dump = null)
{
    /// <summary>
    /// What <paramref name="later"/> lacks and what it has in addition, compared with this snapshot: by the facts, or,
    /// when they agree and both snapshots have one, by the second reading, which may see what the facts do not.
    /// </summary>
    public SchemaDifference Compare(SchemaSnapshot later)
    {
        ArgumentNullException.ThrowIfNull(later);
        var difference = Compare(Facts, later.Facts);
        return difference.IsEmpty && Dump is not null && later.Dump is not null ? Compare(Dump, later.Dump) : difference;
    }

    private static SchemaDifference Compare(IReadOnlyList<string> earlier, IReadOnlyList<string> later)
    {
        var before = earlier.ToHashSet(StringComparer.Ordinal);
        var after = later.ToHashSet(StringComparer.Ordinal);
        return new SchemaDifference(earlier.Where(f => !after.Contains(f)).ToArray(), later.Where(f => !before.Contains(f)).ToArray());
    }
}

/// <summary>How two snapshots differ.</summary>
/// <param name="Lost">Facts of the earlier schema that the later one lacks.</param>
/// <param name="Gained">Facts of the later schema that the earlier one lacked.</param>
public sealed record SchemaDifference(IReadOnlyList<string> Lost, IReadOnlyList<string> Gained)
{
    /// <summary>Whether the schemas are the same.</summary>
    public bool IsEmpty => Lost.Count == 0 && Gained.Count == 0;
}

/// <summary>An engine that can check rollbacks: it creates databases to try migrations on, and reads their schema.</summary>
public interface IScratchDatabases
{
    /// <summary>
    /// Creates an empty database next to the one <paramref name="options"/> reaches (same server and credentials),
    /// dropped when the result is disposed.
    /// </summary>
    /// <exception cref="StepwiseException">It cannot be created (kind <see cref="FailureKind.Permission"/> when the user may not).</exception>
    Task<IScratchDatabase> CreateScratchAsync(SessionOptions options, string project, CancellationToken cancellationToken);
}

/// <summary>A database of the rollback check's own.</summary>
public interface IScratchDatabase : IAsyncDisposable
{
    /// <summary>How to open sessions on it.</summary>
    SessionOptions Session { get; }

    /// <summary>The schema as it is now, outside the runner's own records and backups.</summary>
    Task<SchemaSnapshot> SnapshotAsync(CancellationToken cancellationToken);
}
