using System;
using System.Collections.Generic;

namespace Stepwise.Analyzers.Sql;

/// <summary>
/// The PostgreSQL safety rules, applied to one command (the SQL of one call), statement by statement. The rules follow
/// the well-known ones of production linters, adapted to a runner that owns the transaction. One partial file per kind
/// of statement; the checker's state is the statement, the migration and what the method's earlier statements did.
/// </summary>
internal static partial class PostgresStatementRules
{
    /// <summary>The unqualified names of the tables (and materialized views and domains) a command creates.</summary>
    public static IEnumerable<string> CreatedTables(List<SqlStatement> statements)
    {
        foreach (var statement in statements)
        {
            if (SqlSurvey.CreatedName(statement) is { } name)
            {
                yield return name;
            }
        }
    }

    public static void Analyze(List<SqlStatement> statements, MigrationSqlContext migration, List<SqlFinding> findings)
    {
        foreach (var statement in statements)
        {
            new Checker(statement, migration, statements.Count, findings).Run();
            migration.Ordinal++;
        }
    }

    // CREATE [GLOBAL|LOCAL] [TEMP|TEMPORARY|UNLOGGED] TABLE: returns whether the modifiers are those of a table.
    internal static bool SkipTableModifiers(SqlStatement statement, ref int i)
    {
        statement.Accept(ref i, "GLOBAL");
        statement.Accept(ref i, "LOCAL");
        _ = statement.Accept(ref i, "TEMPORARY") || statement.Accept(ref i, "TEMP") || statement.Accept(ref i, "UNLOGGED");
        return true;
    }

    private sealed partial class Checker
    {
        private readonly SqlStatement _s;
        private readonly MigrationSqlContext _migration;
        private readonly int _statementsInCommand;
        private readonly List<SqlFinding> _findings;

        public Checker(SqlStatement statement, MigrationSqlContext migration, int statementsInCommand, List<SqlFinding> findings)
        {
            _s = statement;
            _migration = migration;
            _statementsInCommand = statementsInCommand;
            _findings = findings;
        }

        // The altered table's key in the column history (schema-qualified unless public), once AlterTable has read it.
        private string? _historyTable;

        private int Last => _s.Count - 1;

        private string HistoryTable(string table) => _historyTable ?? table;

        public void Run()
        {
            if (_s[0].Kind != SqlTokenKind.Word)
            {
                return;
            }

            switch (_s[0].Value)
            {
                case "BEGIN" or "COMMIT" or "END" or "ABORT":
                    TransactionControl(_s[0].Value);
                    break;
                case "START" when _s.IsWord(1, "TRANSACTION"):
                    TransactionControl("START TRANSACTION");
                    break;
                case "PREPARE" when _s.IsWord(1, "TRANSACTION"):
                    TransactionControl("PREPARE TRANSACTION");
                    break;
                case "ROLLBACK" when !_s.IsWord(1, "TO"):
                    TransactionControl("ROLLBACK");
                    break;
                case "VACUUM":
                    Vacuum();
                    break;
                case "CREATE":
                    Create();
                    break;
                case "DROP":
                    Drop();
                    break;
                case "ALTER":
                    Alter();
                    break;
                case "REINDEX":
                    Reindex();
                    break;
                case "TRUNCATE":
                    Truncate();
                    break;
                case "UPDATE":
                    WritesRows("UPDATE", 1);
                    break;
                case "DELETE" when _s.IsWord(1, "FROM"):
                    WritesRows("DELETE", 2);
                    break;
                case "INSERT" when _s.IsWord(1, "INTO"):
                    WritesRows("INSERT", 2);
                    break;
                case "CLUSTER":
                    Cluster();
                    break;
                case "LOCK":
                    Lock();
                    break;
                case "REFRESH":
                    Refresh();
                    break;
                case "SET":
                    Set();
                    break;
                case "RESET":
                    Reset();
                    break;
                case "DO":
                    ForgetTablesInBlock();
                    break;
                case "DISCARD" when _s.IsWord(1, "ALL"):
                    CannotRunInTransaction("DISCARD ALL", 0, 1);
                    break;
            }

            UsesNewEnumValue();
        }

        private void TransactionControl(string label) =>
            Report(Descriptors.SW2002ExplicitTransactionControl, 0, Last, label, label);

        private List<string> ReadNameList(int i)
        {
            var names = new List<string>();
            while (_s.ReadName(ref i) is { } name)
            {
                names.Add(name);
                if (i < _s.Count && _s[i].Kind == SqlTokenKind.Operator && _s[i].Value == "*")
                {
                    i++;
                }

                if (i >= _s.Count || _s[i].Kind != SqlTokenKind.Comma)
                {
                    break;
                }

                i++;
            }

            return names;
        }

        private void CannotRunInTransaction(string label, int first, int last)
        {
            if (!_migration.IsNonTransactional)
            {
                Report(Descriptors.SW2001CannotRunInTransaction, first, last, label, label, _migration.MigrationName);
            }

            if (_statementsInCommand > 1)
            {
                Report(Descriptors.SW2015NonTransactionalStatementNotAlone, first, last, label, label);
            }
        }

        /// <summary>Lock and compatibility rules do not apply to new-install migrations or to tables the migration creates.</summary>
        private bool IsExempt(string? table) =>
            _migration.IsNewInstall || (table is not null && _migration.CreatedTables.Contains(table));

        /// <summary>Rules about what the running application loses: upgrades only, never Down (it reverts Up).</summary>
        private bool IsUpgradeChange(string? table) => !_migration.InDown && !IsExempt(table);

        /// <summary>
        /// The statement waits for a strong lock on <paramref name="table"/>: without a lock_timeout it can queue behind
        /// one long query, with all the table's traffic queued behind it. Reported once per method.
        /// </summary>
        private void TakesStrongLock(string what, string? table, int first, int last)
        {
            if (_migration.LockTimeoutInForce || _migration.LockTimeoutReported || IsExempt(table) ||
                (_migration.InDown && table is not null && _migration.CreatedInUp.Contains(table)))
            {
                return;
            }

            _migration.LockTimeoutReported = true;
            Report(Descriptors.SW2022MissingLockTimeout, first, last, null, what, table ?? "?");
        }

        private void Report(Microsoft.CodeAnalysis.DiagnosticDescriptor rule, int firstToken, int lastToken, string? label, params object[] arguments) =>
            _findings.Add(new SqlFinding(rule, _s[firstToken].Start, _s[Math.Max(firstToken, lastToken)].End, label, arguments));
    }
}
