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

/// <summary>What the rules need to know about the migration a command belongs to.</summary>
internal sealed class MigrationSqlContext
{
    public MigrationSqlContext(string migrationName, bool isNonTransactional, bool isNewInstall, bool isDestructiveJustified, System.Collections.Generic.HashSet<string> createdTables,
        System.Collections.Generic.HashSet<string> renamedInUp)
    {
        RenamedInUp = renamedInUp;
        MigrationName = migrationName;
        IsNonTransactional = isNonTransactional;
        IsNewInstall = isNewInstall;
        IsDestructiveJustified = isDestructiveJustified;
        CreatedTables = createdTables;
    }

    public string MigrationName { get; }

    public bool IsNonTransactional { get; }

    /// <summary>New-install migrations build an empty database no application uses yet: lock and compatibility rules do not apply.</summary>
    public bool IsNewInstall { get; }

    public bool IsDestructiveJustified { get; }

    /// <summary>Tables the migration itself creates (unqualified names): empty and unused, so they are exempt from lock rules.</summary>
    public System.Collections.Generic.HashSet<string> CreatedTables { get; }

    /// <summary>The tables and columns Up renames (<c>kind:from-&gt;to</c>), shared with Down's checks.</summary>
    public System.Collections.Generic.HashSet<string> RenamedInUp { get; }
}
