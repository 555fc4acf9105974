using Microsoft.CodeAnalysis;

namespace Stepwise.Analyzers.Sql;

/// <summary>A rule broken by a statement, with the offending text's range in the SQL string.</summary>
internal readonly struct SqlFinding
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
}
