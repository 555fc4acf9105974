using Microsoft.CodeAnalysis;

namespace Stepwise.Analyzers.Sql;

/// <summary>A rule broken by a statement, with the offending text's range in the SQL string.</summary>
internal struct SqlFinding
{
    public SqlFinding(DiagnosticDescriptor rule, int start, int end, string? statementLabel, params object[] arguments)
    {
        Rule = rule;
        Start = start;
        End = end;
        StatementLabel = statementLabel;
        Arguments = arguments;
    }

    public DiagnosticDescriptor Rule { get; }

    public int Start { get; }

    public int End { get; }

    /// <summary>What the statement is, in words (e.g. "CREATE INDEX CONCURRENTLY"); code fixes quote it.</summary>
    public string? StatementLabel { get; }

    public object[] Arguments { get; }

    /// <summary>A type change whose finding waits for the column's earlier type (<see cref="ColumnHistory"/>).</summary>
    public ColumnChange? AwaitingEarlierType { get; private set; }

    /// <summary>The mechanical fix that applies, if any (<see cref="PostgresSqlAnalyzer.FixProperty"/>).</summary>
    public string? Fix { get; private set; }

    /// <summary>This finding, with the fix <paramref name="fix"/> offered for it.</summary>
    public SqlFinding Fixable(string fix)
    {
        var fixable = this;
        fixable.Fix = fix;
        return fixable;
    }

    /// <summary>This finding, held until <paramref name="change"/>'s column's earlier type is known (null: not held).</summary>
    public SqlFinding Awaiting(ColumnChange? change)
    {
        var held = this;
        held.AwaitingEarlierType = change;
        return held;
    }
}
