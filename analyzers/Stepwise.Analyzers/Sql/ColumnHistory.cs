using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Stepwise.Analyzers.Sql;

/// <summary>What a statement did to a table's columns, as far as their types go.</summary>
internal enum ColumnChangeKind
{
    /// <summary>CREATE TABLE's column, or ADD COLUMN.</summary>
    Define,

    /// <summary>The same under IF NOT EXISTS: a column already there stays as it is.</summary>
    DefineIfAbsent,

    /// <summary>ALTER COLUMN … TYPE.</summary>
    Retype,

    DropColumn,

    DropTable,

    /// <summary><see cref="ColumnChange.Column"/> becomes <see cref="ColumnChange.NewName"/>.</summary>
    RenameColumn,

    /// <summary><see cref="ColumnChange.Table"/> becomes <see cref="ColumnChange.NewName"/>.</summary>
    RenameTable,

    /// <summary>SQL built as it runs (EXECUTE in a DO block): nothing known holds any more.</summary>
    ForgetAll,
}

internal sealed class ColumnChange
{
    public ColumnChange(ColumnChangeKind kind, string table, string? column = null, ColumnType? type = null, string? newName = null)
    {
        Kind = kind;
        Table = table;
        Column = column;
        Type = type;
        NewName = newName;
    }

    public ColumnChangeKind Kind { get; }

    public string Table { get; }

    public string? Column { get; }

    /// <summary>The column's type after the change; null when it cannot be read.</summary>
    public ColumnType? Type { get; }

    public string? NewName { get; }

    /// <summary>
    /// For a type change SW2007 would report: the diagnostic, held until the whole compilation is read and the column's
    /// earlier type is known. A change that keeps the rows is then not reported.
    /// </summary>
    public Diagnostic? AwaitingEarlierType { get; set; }
}

/// <summary>
/// The column changes of every migration of the compilation, replayed in the order the runner applies them, so that a
/// type change can be judged by the type the column had before it (SW2007: widening a <c>varchar</c> rewrites nothing).
/// </summary>
internal sealed class ColumnHistory
{
    private readonly ConcurrentBag<MigrationColumns> _migrations = new();

    public void Add(MigrationColumns migration) => _migrations.Add(migration);

    /// <summary>
    /// How the history names the table written at <paramref name="at"/>: its name, qualified by its schema unless that is
    /// <c>public</c>, so that tables of the same name in two schemas keep two histories. An unqualified name counts as
    /// public's (the usual search_path).
    /// </summary>
    public static string? TableKey(SqlStatement statement, int at)
    {
        string? schema = null;
        string? name = null;
        while (at < statement.Count && statement[at].Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier)
        {
            (schema, name) = (name, statement[at].Kind == SqlTokenKind.Word ? statement[at].Value.ToLowerInvariant() : statement[at].Value);
            if (at + 1 < statement.Count && statement[at + 1].Kind == SqlTokenKind.Dot)
            {
                at += 2;
                continue;
            }

            break;
        }

        return name is null ? null : schema is null or "public" ? name : schema + "." + name;
    }

    /// <summary>The key of a table renamed to <paramref name="newName"/>: it stays in its schema.</summary>
    public static string Renamed(string key, string newName) =>
        key.LastIndexOf('.') is var dot and >= 0 ? key.Substring(0, dot + 1) + newName : newName;

    /// <summary>Reports each held type change whose column's earlier type is unknown, or whose change rewrites the table.</summary>
    public void ReportHeld(Action<Diagnostic> report)
    {
        var ordered = _migrations.OrderBy(m => m.Key, MigrationOrder.Instance).ToList();
        foreach (var migration in ordered)
        {
            Judge(migration, migration.Up, Before(ordered, migration), report);
            if (migration.Down.Any(c => c.AwaitingEarlierType is not null))
            {
                // Down starts from what Up left.
                Judge(migration, migration.Down, Before(ordered, migration).Append((migration.Up, Replay.AsWritten)), report);
            }
        }
    }

    private static void Judge(
        MigrationColumns migration, List<ColumnChange> changes, IEnumerable<(List<ColumnChange> Changes, Replay Mode)> earlier, Action<Diagnostic> report)
    {
        if (!changes.Any(c => c.AwaitingEarlierType is not null))
        {
            return;
        }

        var columns = new ColumnTypes();
        foreach (var (list, mode) in earlier)
        {
            columns.Apply(list, mode);
        }

        foreach (var change in changes)
        {
            if (change.AwaitingEarlierType is { } diagnostic &&
                !(change.Type is { } type && columns.TypeOf(change.Table, change.Column!) is { } before && type.KeepsRowsOf(before)))
            {
                report(diagnostic);
            }

            columns.Apply(change, Replay.AsWritten);
        }
    }

    // What ran before an upgrade: every migration of an earlier version, and those of its own version and path that
    // come before it. A new install of the same version describes the state after it, not before. The history is one
    // line only where the planner takes one: a new install is another way to the same state, and a migration restricted
    // to one starting version (From) a branch not every database took, so neither may overrule what the line knows.
    private static IEnumerable<(List<ColumnChange> Changes, Replay Mode)> Before(List<MigrationColumns> ordered, MigrationColumns migration) =>
        ordered.TakeWhile(m => m != migration)
            .Where(m => SemanticVersion.Compare(m.Key.Version, migration.Key.Version) < 0 || m.Key.IsNewInstall == migration.Key.IsNewInstall)
            .Select(m => (m.Up, m.Key.IsNewInstall ? Replay.Merged : m.Key.HasFrom ? Replay.Unknown : Replay.AsWritten));

    private enum Replay
    {
        /// <summary>The changes happened to every database that reached the migration.</summary>
        AsWritten,

        /// <summary>Another way to the same state: a type that disagrees with what is known makes the column unknown.</summary>
        Merged,

        /// <summary>A branch some databases took: the columns it defines or retypes become unknown.</summary>
        Unknown,
    }

    // Columns by table, as the changes replayed so far left them. Null means dropped, or of a type that cannot be read.
    private sealed class ColumnTypes
    {
        private readonly Dictionary<string, Dictionary<string, ColumnType?>> _tables = new(StringComparer.Ordinal);

        public ColumnType? TypeOf(string table, string column) =>
            _tables.TryGetValue(table, out var columns) && columns.TryGetValue(column, out var type) ? type : null;

        public void Apply(List<ColumnChange> changes, Replay mode)
        {
            foreach (var change in changes)
            {
                Apply(change, mode);
            }
        }

        public void Apply(ColumnChange change, Replay mode)
        {
            switch (change.Kind)
            {
                case ColumnChangeKind.Define or ColumnChangeKind.Retype when mode == Replay.AsWritten:
                    Columns(change.Table)[change.Column!] = change.Type;
                    break;
                case ColumnChangeKind.Define or ColumnChangeKind.Retype or ColumnChangeKind.DefineIfAbsent when mode == Replay.Unknown:
                    Columns(change.Table)[change.Column!] = null;
                    break;
                case ColumnChangeKind.Define or ColumnChangeKind.Retype or ColumnChangeKind.DefineIfAbsent:
                    // IF NOT EXISTS, or another way to the same state: a column already known keeps its type only if it agrees.
                    var columns = Columns(change.Table);
                    columns[change.Column!] = !columns.TryGetValue(change.Column!, out var known) ? change.Type
                        : known is not null && change.Type is not null && change.Type.KeepsRowsOf(known) && known.KeepsRowsOf(change.Type) ? known
                        : null;
                    break;
                case ColumnChangeKind.DropTable when mode == Replay.Merged:
                    // A new install's CREATE TABLE starts from nothing; it does not undo what the upgrades made.
                    break;
                case ColumnChangeKind.ForgetAll:
                    // After SQL built as it ran, only what later statements define is known.
                    _tables.Clear();
                    break;
                case ColumnChangeKind.DropColumn:
                    Columns(change.Table).Remove(change.Column!);
                    break;
                case ColumnChangeKind.DropTable:
                    _tables.Remove(change.Table);
                    break;
                case ColumnChangeKind.RenameColumn:
                    var renamedIn = Columns(change.Table);
                    renamedIn[change.NewName!] = renamedIn.TryGetValue(change.Column!, out var type) ? type : null;
                    renamedIn.Remove(change.Column!);
                    break;
                case ColumnChangeKind.RenameTable:
                    _tables.Remove(change.NewName!);
                    if (_tables.TryGetValue(change.Table, out var renamed))
                    {
                        _tables.Remove(change.Table);
                        _tables[change.NewName!] = renamed;
                    }

                    break;
            }
        }

        private Dictionary<string, ColumnType?> Columns(string table)
        {
            if (!_tables.TryGetValue(table, out var columns))
            {
                _tables[table] = columns = new Dictionary<string, ColumnType?>(StringComparer.Ordinal);
            }

            return columns;
        }
    }
}

/// <summary>One migration's column changes: Up's, then Down's, each in the order they are sent.</summary>
internal sealed class MigrationColumns
{
    public MigrationColumns(MigrationOrder.Key key, List<ColumnChange> up, List<ColumnChange> down)
    {
        Key = key;
        Up = up;
        Down = down;
    }

    public MigrationOrder.Key Key { get; }

    public List<ColumnChange> Up { get; }

    public List<ColumnChange> Down { get; }
}

/// <summary>The order in which the runner applies migrations: by version, then (within a version) upgrades before a new install, phase, order.</summary>
internal sealed class MigrationOrder : IComparer<MigrationOrder.Key>
{
    public static readonly MigrationOrder Instance = new();

    public int Compare(Key? x, Key? y)
    {
        if (x is null || y is null)
        {
            return x is null ? (y is null ? 0 : -1) : 1;
        }

        var byVersion = SemanticVersion.Compare(x.Version, y.Version);
        return byVersion != 0 ? byVersion
            : x.IsNewInstall != y.IsNewInstall ? (x.IsNewInstall ? 1 : -1)
            : x.Phase != y.Phase ? x.Phase.CompareTo(y.Phase)
            : x.Order.CompareTo(y.Order);
    }

    /// <summary>
    /// Where a migration stands: <see cref="Migration.Version"/> normalized, the path, the phase's number (unset: the
    /// path's first) and the order.
    /// </summary>
    internal sealed class Key
    {
        public Key(string version, bool isNewInstall, int phase, int order, bool hasFrom = false)
        {
            Version = version;
            IsNewInstall = isNewInstall;
            Phase = phase;
            Order = order;
            HasFrom = hasFrom;
        }

        /// <summary>The migration runs only for databases upgraded from one version (<c>From</c>).</summary>
        public bool HasFrom { get; }

        public string Version { get; }

        public bool IsNewInstall { get; }

        public int Phase { get; }

        public int Order { get; }

        /// <summary>The key of a [Migration] attribute; null when its version cannot be read.</summary>
        public static Key? Of(AttributeData? migration)
        {
            if (migration is not { ConstructorArguments.Length: 2 } ||
                SemanticVersion.Normalize(migration.ConstructorArguments[0].Value as string) is not { } version ||
                migration.ConstructorArguments[1].Value is not int order)
            {
                return null;
            }

            var isNewInstall = MigrationSymbols.IsNewInstall(migration);
            var phase = 0;
            var hasFrom = false;
            foreach (var pair in migration.NamedArguments)
            {
                if (pair.Key == "Phase" && pair.Value.Value is int value)
                {
                    phase = value;
                }
                else if (pair.Key == "From" && pair.Value.Value is string { Length: > 0 })
                {
                    hasFrom = true;
                }
            }

            // Phase numbers: Schema 1, Data 2, Indexes 3 for a new install; PreUpgrade 10 to PostUpgrade 13 for an upgrade.
            return new Key(version, isNewInstall, phase != 0 ? phase : isNewInstall ? 1 : 11, order, hasFrom);
        }
    }
}
