using System;
using System.Collections.Generic;

namespace Stepwise.Analyzers.Sql;

/// <summary>
/// What one method's SQL does as a whole, read before its statements are checked: a rule about one statement can
/// depend on a statement that comes after it (a trigger enabled again, a setting reset, a table altered).
/// </summary>
internal sealed class SqlSurvey
{
    /// <summary>The key <see cref="LastReset"/> uses for RESET ALL.</summary>
    public const string All = "*";

    public HashSet<string> Created { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Altered { get; } = new(StringComparer.Ordinal);

    /// <summary>The last statement (by ordinal) that enables each trigger (<c>table:name</c>, <c>table:ALL</c>, <c>table:USER</c>).</summary>
    public Dictionary<string, int> LastEnabled { get; } = new(StringComparer.Ordinal);

    /// <summary>The last statement (by ordinal) that enables row security on each table (<c>table:ENABLE</c>, <c>table:FORCE</c>).</summary>
    public Dictionary<string, int> LastRowSecurity { get; } = new(StringComparer.Ordinal);

    /// <summary>The last statement (by ordinal) that gives each function (or procedure) a search_path (<c>ALTER FUNCTION … SET search_path</c>).</summary>
    public Dictionary<string, int> LastSearchPath { get; } = new(StringComparer.Ordinal);

    /// <summary>The last statement (by ordinal) that resets each setting.</summary>
    public Dictionary<string, int> LastReset { get; } = new(StringComparer.Ordinal);

    /// <summary>Surveys a method's commands, in the order their statements will be checked.</summary>
    public static SqlSurvey Of(IEnumerable<List<SqlStatement>> commands)
    {
        var survey = new SqlSurvey();
        var ordinal = 0;
        foreach (var statements in commands)
        {
            foreach (var statement in statements)
            {
                survey.Read(statement, ordinal++);
            }
        }

        return survey;
    }

    /// <summary>The names a statement creates that lock rules exempt: tables, materialized views and domains.</summary>
    public static string? CreatedName(SqlStatement statement)
    {
        var i = 1;
        if (!statement.IsWord(0, "CREATE"))
        {
            return null;
        }

        if (statement.Accept(ref i, "MATERIALIZED", "VIEW") || statement.Accept(ref i, "DOMAIN") || statement.Accept(ref i, "TYPE"))
        {
            statement.Accept(ref i, "IF", "NOT", "EXISTS");
            return statement.ReadName(ref i);
        }

        PostgresStatementRules.SkipTableModifiers(statement, ref i);
        if (statement.Accept(ref i, "TABLE"))
        {
            statement.Accept(ref i, "IF", "NOT", "EXISTS");
            return statement.ReadName(ref i);
        }

        return null;
    }

    /// <summary>The table an ALTER TABLE statement alters, and where its actions start.</summary>
    public static string? AlteredTable(SqlStatement statement, out int actionsStart) => AlteredTable(statement, out actionsStart, out _);

    /// <summary>The same, and where the table's name is written (for <see cref="ColumnHistory.TableKey"/>).</summary>
    public static string? AlteredTable(SqlStatement statement, out int actionsStart, out int nameAt)
    {
        actionsStart = 2;
        nameAt = 2;
        if (!statement.IsWord(0, "ALTER") || !statement.IsWord(1, "TABLE"))
        {
            return null;
        }

        var i = 2;
        statement.Accept(ref i, "IF", "EXISTS");
        statement.Accept(ref i, "ONLY");
        nameAt = i;
        var table = statement.ReadName(ref i);
        if (i < statement.Count && statement[i].Kind == SqlTokenKind.Operator && statement[i].Value == "*")
        {
            i++;
        }

        actionsStart = i;
        return table;
    }

    private void Read(SqlStatement statement, int ordinal)
    {
        if (CreatedName(statement) is { } created)
        {
            Created.Add(created);
        }
        else if (AlteredTable(statement, out var actionsStart) is { } table)
        {
            Altered.Add(table);
            foreach (var (start, _) in statement.SplitTopLevel(actionsStart))
            {
                var i = start;
                // ENABLE REPLICA fires only for replication sessions: not enabled again for the application.
                if (statement.Accept(ref i, "ENABLE", "ROW", "LEVEL", "SECURITY") || statement.Accept(ref i, "FORCE", "ROW", "LEVEL", "SECURITY"))
                {
                    LastRowSecurity[table + ":" + statement[start].Value] = ordinal;
                }
                else if (statement.Accept(ref i, "ENABLE"))
                {
                    statement.Accept(ref i, "ALWAYS");
                    if (statement.Accept(ref i, "TRIGGER"))
                    {
                        LastEnabled[table + ":" + TriggerName(statement, i)] = ordinal;
                    }
                }
            }
        }
        else if (SearchPathGivenTo(statement) is { } function)
        {
            LastSearchPath[function] = ordinal;
        }
        else if (statement.IsWord(0, "RESET") && statement.Count > 1)
        {
            LastReset[SettingName(statement, 1)] = ordinal;
        }
    }

    // ALTER FUNCTION | PROCEDURE name [(arguments)] … SET search_path {TO | =} value: the function as FunctionKey names
    // it. SET search_path TO DEFAULT takes the setting away, as RESET does.
    private static string? SearchPathGivenTo(SqlStatement statement)
    {
        var i = 1;
        if (!statement.IsWord(0, "ALTER") || !(statement.Accept(ref i, "FUNCTION") || statement.Accept(ref i, "PROCEDURE")))
        {
            return null;
        }

        var key = FunctionKey(statement, ref i);
        var set = statement.FindTopLevel(i, statement.Count, "SET", "SEARCH_PATH");
        return key is not null && set >= 0 && !statement.IsWord(set + 3, "DEFAULT") ? key : null;
    }

    /// <summary>
    /// A function as CREATE or ALTER FUNCTION names it: <c>name/2</c> for two arguments, <c>name</c> when no list is
    /// written (ALTER FUNCTION may leave it out for a name that is not overloaded). Reads past the argument list.
    /// </summary>
    public static string? FunctionKey(SqlStatement statement, ref int i)
    {
        if (statement.ReadName(ref i) is not { } name)
        {
            return null;
        }

        if (i >= statement.Count || statement[i].Kind != SqlTokenKind.OpenParen)
        {
            return name;
        }

        var close = statement.ClosingParen(i);
        var arguments = close > i + 1 ? statement.SplitTopLevel(i + 1, close).Count : 0;
        i = close + 1;
        return name + "/" + arguments.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A trigger as DISABLE/ENABLE TRIGGER names it: its name, or ALL or USER.</summary>
    public static string TriggerName(SqlStatement statement, int i) =>
        statement.IsWord(i, "ALL") || statement.IsWord(i, "USER") ? statement[i].Value : statement.ReadName(ref i) ?? "?";

    /// <summary>The setting a SET or RESET names at <paramref name="i"/>, lower case; <see cref="All"/> for ALL.</summary>
    public static string SettingName(SqlStatement statement, int i)
    {
        if (statement.IsWord(i, "ALL"))
        {
            return All;
        }

        if (statement.IsWord(i, "TIME") && statement.IsWord(i + 1, "ZONE"))
        {
            return "timezone";
        }

        if (statement.IsWord(i, "SESSION") && statement.IsWord(i + 1, "AUTHORIZATION"))
        {
            return "session_authorization";
        }

        var parts = new List<string>();
        while (i < statement.Count && statement[i].Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier)
        {
            parts.Add(statement[i].Kind == SqlTokenKind.Word ? statement[i].Value.ToLowerInvariant() : statement[i].Value);
            if (i + 1 < statement.Count && statement[i + 1].Kind == SqlTokenKind.Dot)
            {
                i += 2;
                continue;
            }

            break;
        }

        var name = string.Join(".", parts);
        return name switch
        {
            "schema" => "search_path",
            "names" => "client_encoding",
            _ => name,
        };
    }
}
