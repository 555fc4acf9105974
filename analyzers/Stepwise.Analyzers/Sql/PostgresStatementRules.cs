using System;
using System.Collections.Generic;

namespace Stepwise.Analyzers.Sql;

/// <summary>
/// The PostgreSQL safety rules, applied to one command (the SQL of one call), statement by statement. The rules follow
/// the well-known ones of squawk, strong_migrations and Atlas lint, adapted to a runner that owns the transaction.
/// </summary>
internal static class PostgresStatementRules
{
    private static readonly HashSet<string> VolatileFunctions = new(StringComparer.Ordinal)
    {
        "RANDOM", "GEN_RANDOM_UUID", "UUID_GENERATE_V1", "UUID_GENERATE_V1MC", "UUID_GENERATE_V4", "UUIDV4", "UUIDV7",
        "CLOCK_TIMESTAMP", "TIMEOFDAY", "NEXTVAL", "SETSEED",
    };

    private static readonly HashSet<string> SerialTypes = new(StringComparer.Ordinal)
    {
        "SERIAL", "SERIAL2", "SERIAL4", "SERIAL8", "SMALLSERIAL", "BIGSERIAL",
    };

    private static readonly HashSet<string> ColumnConstraintStarts = new(StringComparer.Ordinal)
    {
        "NOT", "NULL", "CONSTRAINT", "CHECK", "UNIQUE", "PRIMARY", "REFERENCES", "GENERATED", "COLLATE", "DEFAULT",
    };

    /// <summary>The unqualified names of the tables a command creates.</summary>
    public static IEnumerable<string> CreatedTables(List<SqlStatement> statements)
    {
        foreach (var statement in statements)
        {
            var i = 1;
            if (statement.IsWord(0, "CREATE") && SkipTableModifiers(statement, ref i) && statement.Accept(ref i, "TABLE"))
            {
                statement.Accept(ref i, "IF", "NOT", "EXISTS");
                if (statement.ReadName(ref i) is { } name)
                {
                    yield return name;
                }
            }
        }
    }

    public static void Analyze(List<SqlStatement> statements, MigrationSqlContext migration, bool inDown, List<SqlFinding> findings)
    {
        foreach (var statement in statements)
        {
            new Checker(statement, migration, inDown, statements.Count, findings).Run();
        }
    }

    // CREATE [GLOBAL|LOCAL] [TEMP|TEMPORARY|UNLOGGED] TABLE: returns whether the modifiers are those of a table.
    private static bool SkipTableModifiers(SqlStatement statement, ref int i)
    {
        statement.Accept(ref i, "GLOBAL");
        statement.Accept(ref i, "LOCAL");
        _ = statement.Accept(ref i, "TEMPORARY") || statement.Accept(ref i, "TEMP") || statement.Accept(ref i, "UNLOGGED");
        return true;
    }

    private sealed class Checker
    {
        private readonly SqlStatement _s;
        private readonly MigrationSqlContext _migration;
        private readonly bool _inDown;
        private readonly int _statementsInCommand;
        private readonly List<SqlFinding> _findings;

        public Checker(SqlStatement statement, MigrationSqlContext migration, bool inDown, int statementsInCommand, List<SqlFinding> findings)
        {
            _s = statement;
            _migration = migration;
            _inDown = inDown;
            _statementsInCommand = statementsInCommand;
            _findings = findings;
        }

        private int Last => _s.Count - 1;

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
                    CannotRunInTransaction("VACUUM", 0, Last);
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
                    EveryRow("UPDATE", 1);
                    break;
                case "DELETE" when _s.IsWord(1, "FROM"):
                    EveryRow("DELETE", 2);
                    break;
                case "CLUSTER":
                    Cluster();
                    break;
                case "DISCARD" when _s.IsWord(1, "ALL"):
                    CannotRunInTransaction("DISCARD ALL", 0, 1);
                    break;
            }
        }

        private void TransactionControl(string label) =>
            Report(Descriptors.SW2002ExplicitTransactionControl, 0, Last, label, label);

        private void Create()
        {
            var i = 1;
            if (_s.Accept(ref i, "DATABASE") || _s.Accept(ref i, "TABLESPACE"))
            {
                CannotRunInTransaction("CREATE " + _s[1].Value, 0, 1);
                return;
            }

            var indexAt = _s.IsWord(1, "UNIQUE") ? 2 : 1;
            if (_s.IsWord(indexAt, "INDEX"))
            {
                CreateIndex(indexAt);
                return;
            }

            var temporary = _s.IsWord(1, "TEMP") || _s.IsWord(1, "TEMPORARY") || _s.IsWord(2, "TEMP") || _s.IsWord(2, "TEMPORARY");
            SkipTableModifiers(_s, ref i);
            if (_s.IsWord(i, "TABLE"))
            {
                var tableAt = i++;
                if (!_s.Accept(ref i, "IF", "NOT", "EXISTS") && !temporary)
                {
                    Report(Descriptors.SW2013NotIdempotent, 0, tableAt, null, "CREATE TABLE");
                }
            }
        }

        private void CreateIndex(int indexAt)
        {
            var i = indexAt + 1;
            var concurrently = _s.Accept(ref i, "CONCURRENTLY");
            var keywordsEnd = concurrently ? i - 1 : indexAt;
            var idempotent = _s.Accept(ref i, "IF", "NOT", "EXISTS");
            if (!_s.IsWord(i, "ON"))
            {
                _s.ReadName(ref i);
            }

            string? table = null;
            if (_s.Accept(ref i, "ON"))
            {
                _s.Accept(ref i, "ONLY");
                table = _s.ReadName(ref i);
            }

            if (concurrently)
            {
                CannotRunInTransaction("CREATE INDEX CONCURRENTLY", 0, keywordsEnd);
            }
            else if (!IsExempt(table))
            {
                Report(Descriptors.SW2003CreateIndexWithoutConcurrently, 0, keywordsEnd, null, table ?? "?");
            }

            if (!idempotent)
            {
                Report(Descriptors.SW2013NotIdempotent, 0, keywordsEnd, null, "CREATE INDEX");
            }
        }

        private void Drop()
        {
            var i = 1;
            if (_s.Accept(ref i, "DATABASE") || _s.Accept(ref i, "TABLESPACE"))
            {
                CannotRunInTransaction("DROP " + _s[1].Value, 0, 1);
                if (_s[1].Value == "DATABASE")
                {
                    DestructiveAt("DROP DATABASE", 0, Last);
                }
            }
            else if (DroppedKind(ref i) is { } kind)
            {
                _s.Accept(ref i, "IF", "EXISTS");
                var name = _s.ReadName(ref i) ?? "?";
                DestructiveAt($"DROP {kind} {name}{Cascade()}", 0, Last);
            }
            else if (_s.Accept(ref i, "INDEX"))
            {
                if (_s.Accept(ref i, "CONCURRENTLY"))
                {
                    CannotRunInTransaction("DROP INDEX CONCURRENTLY", 0, 2);
                }
                else if (!_migration.IsNewInstall)
                {
                    Report(Descriptors.SW2004DropIndexWithoutConcurrently, 0, 1, null);
                }
            }
            else if (_s.Accept(ref i, "TABLE"))
            {
                _s.Accept(ref i, "IF", "EXISTS");
                Destructive("DROP TABLE", ReadNameList(i), Cascade());
            }
        }

        // The objects besides tables and indexes whose drop loses something the running application may use: code
        // (functions, triggers), shapes (types, domains), access (policies), whole namespaces.
        private string? DroppedKind(ref int i)
        {
            foreach (var kind in new[] { "VIEW", "FUNCTION", "PROCEDURE", "TYPE", "SEQUENCE", "TRIGGER", "DOMAIN", "EXTENSION", "POLICY", "SCHEMA" })
            {
                if (_s.Accept(ref i, kind))
                {
                    return kind;
                }
            }

            return _s.Accept(ref i, "MATERIALIZED", "VIEW") ? "MATERIALIZED VIEW" : null;
        }

        // CASCADE takes with it everything that depends on what is dropped (or, for TRUNCATE, empties every table that refers to it).
        private string Cascade() =>
            _s.FindTopLevel(0, _s.Count, "CASCADE") < 0 ? "" : _s.IsWord(0, "TRUNCATE")
                ? " CASCADE (also empties every table with a foreign key to it)"
                : " CASCADE (also drops everything that depends on it)";

        private void Truncate()
        {
            var i = 1;
            _s.Accept(ref i, "TABLE");
            _s.Accept(ref i, "ONLY");
            Destructive("TRUNCATE", ReadNameList(i), Cascade());
        }

        // UPDATE or DELETE of every row of an existing table, in the step's one transaction: it locks every row until the
        // commit, and a DELETE loses them. A WHERE (even one that happens to match everything) says it was meant.
        private void EveryRow(string verb, int i)
        {
            _s.Accept(ref i, "ONLY");
            if (_inDown || _migration.IsNewInstall || _s.ReadName(ref i) is not { } table || _migration.CreatedTables.Contains(table) ||
                _s.FindTopLevel(i, _s.Count, "WHERE") >= 0)
            {
                return;
            }

            Report(Descriptors.SW2016EveryRowWithoutWhere, 0, Last, null, verb, table);
        }

        private void Alter()
        {
            var i = 1;
            if (_s.Accept(ref i, "SYSTEM"))
            {
                CannotRunInTransaction("ALTER SYSTEM", 0, 1);
                return;
            }

            if (!_s.Accept(ref i, "TABLE"))
            {
                return;
            }

            _s.Accept(ref i, "IF", "EXISTS");
            _s.Accept(ref i, "ONLY");
            var table = _s.ReadName(ref i);
            if (table is null)
            {
                return;
            }

            if (i < _s.Count && _s[i].Kind == SqlTokenKind.Operator && _s[i].Value == "*")
            {
                i++;
            }

            foreach (var (start, end) in _s.SplitTopLevel(i))
            {
                AlterTableAction(table, start, end);
            }
        }

        private void AlterTableAction(string table, int start, int end)
        {
            var i = start;
            var exempt = IsExempt(table);
            if (_s.Accept(ref i, "ADD"))
            {
                AddToTable(table, start, end, i, exempt);
            }
            else if (_s.Accept(ref i, "ALTER"))
            {
                if (_s.IsWord(i, "CONSTRAINT"))
                {
                    return;
                }

                _s.Accept(ref i, "COLUMN");
                var column = _s.ReadName(ref i);
                if (exempt)
                {
                    return;
                }

                if (_s.Accept(ref i, "SET", "NOT", "NULL"))
                {
                    Report(Descriptors.SW2006SetNotNull, start, end - 1, null, table + "." + column);
                }
                else if (_s.Accept(ref i, "SET", "DATA", "TYPE") || _s.Accept(ref i, "TYPE"))
                {
                    Report(Descriptors.SW2007AlterColumnType, start, end - 1, null, table + "." + column);
                }
            }
            else if (_s.Accept(ref i, "RENAME"))
            {
                if (_s.IsWord(i, "CONSTRAINT") || exempt)
                {
                    return;
                }

                if (_s.Accept(ref i, "TO"))
                {
                    var renamed = _s.ReadName(ref i) ?? "?";
                    if (!ReversesUpsRename("table", table, renamed))
                    {
                        Report(Descriptors.SW2011RenameTableOrColumn, start, end - 1, null, $"table '{table}' to '{renamed}'");
                    }

                    return;
                }

                _s.Accept(ref i, "COLUMN");
                var column = _s.ReadName(ref i);
                _s.Accept(ref i, "TO");
                var newName = _s.ReadName(ref i) ?? "?";
                if (!ReversesUpsRename("column", table + "." + column, table + "." + newName))
                {
                    Report(Descriptors.SW2011RenameTableOrColumn, start, end - 1, null, $"column '{table}.{column}' to '{newName}'");
                }
            }
            else if (_s.Accept(ref i, "DROP"))
            {
                if (_s.Accept(ref i, "CONSTRAINT"))
                {
                    // The guarantee is gone for every writer at once, and the running application may rely on it.
                    _s.Accept(ref i, "IF", "EXISTS");
                    if (!_migration.CreatedTables.Contains(table))
                    {
                        DestructiveAt($"DROP CONSTRAINT {_s.ReadName(ref i) ?? "?"} on {table}", start, end - 1);
                    }

                    return;
                }

                _s.Accept(ref i, "COLUMN");
                _s.Accept(ref i, "IF", "EXISTS");
                var column = _s.ReadName(ref i);
                if (!_migration.CreatedTables.Contains(table))
                {
                    DestructiveAt("DROP COLUMN " + table + "." + column, start, end - 1);
                }
            }
            else if (_s.Accept(ref i, "DETACH", "PARTITION") && _s.FindTopLevel(i, end, "CONCURRENTLY") >= 0)
            {
                CannotRunInTransaction("DETACH PARTITION CONCURRENTLY", start, end - 1);
            }
        }

        private void AddToTable(string table, int start, int end, int i, bool exempt)
        {
            if (exempt)
            {
                return;
            }

            string? constraintName = null;
            if (_s.Accept(ref i, "CONSTRAINT"))
            {
                constraintName = _s.ReadName(ref i);
            }

            var named = constraintName is null ? string.Empty : $" '{constraintName}'";
            if (_s.IsWord(i, "FOREIGN") || _s.IsWord(i, "CHECK"))
            {
                if (_s.FindTopLevel(i, end, "NOT", "VALID") < 0)
                {
                    var what = _s.IsWord(i, "FOREIGN") ? "foreign key" : "check constraint";
                    Report(Descriptors.SW2008ConstraintWithoutNotValid, start, end - 1, null, $"{what}{named} to '{table}'");
                }

                return;
            }

            if (_s.IsWord(i, "PRIMARY") || _s.IsWord(i, "UNIQUE"))
            {
                if (_s.FindTopLevel(i, end, "USING", "INDEX") < 0)
                {
                    var what = _s.IsWord(i, "PRIMARY") ? "a primary key" : "a unique constraint";
                    Report(Descriptors.SW2009UniqueConstraintWithoutIndex, start, end - 1, null, $"{what}{named} to '{table}'");
                }

                return;
            }

            if (constraintName is not null || _s.IsWord(i, "EXCLUDE"))
            {
                return;
            }

            _s.Accept(ref i, "COLUMN");
            _s.Accept(ref i, "IF", "NOT", "EXISTS");
            var column = _s.ReadName(ref i);
            if (column is null)
            {
                return;
            }

            var isSerial = i < end && _s[i].Kind == SqlTokenKind.Word && SerialTypes.Contains(_s[i].Value);
            var defaultAt = _s.FindTopLevel(i, end, "DEFAULT");
            var generated = _s.FindTopLevel(i, end, "GENERATED") >= 0;
            var qualified = table + "." + column;
            if (_s.FindTopLevel(i, end, "NOT", "NULL") >= 0 && defaultAt < 0 && !generated && !isSerial)
            {
                Report(Descriptors.SW2005AddNotNullColumnWithoutDefault, start, end - 1, null, qualified);
            }

            var volatileCall = isSerial ? _s[i].Value.ToLowerInvariant() : defaultAt >= 0 ? VolatileCallIn(defaultAt + 1, end) : null;
            if (volatileCall is not null)
            {
                Report(Descriptors.SW2010VolatileDefault, start, end - 1, null, qualified, volatileCall);
            }

            if (_s.FindTopLevel(i, end, "PRIMARY", "KEY") >= 0 || _s.FindTopLevel(i, end, "UNIQUE") >= 0)
            {
                Report(Descriptors.SW2009UniqueConstraintWithoutIndex, start, end - 1, null, $"column '{qualified}' as a unique or primary key");
            }
        }

        // The default expression runs from after DEFAULT to the next column constraint at the top level.
        private string? VolatileCallIn(int from, int end)
        {
            var depth = 0;
            for (var i = from; i < end; i++)
            {
                var token = _s[i];
                if (token.Kind == SqlTokenKind.OpenParen)
                {
                    depth++;
                }
                else if (token.Kind == SqlTokenKind.CloseParen)
                {
                    depth--;
                }
                else if (token.Kind == SqlTokenKind.Word)
                {
                    if (depth == 0 && i > from && ColumnConstraintStarts.Contains(token.Value))
                    {
                        return null;
                    }

                    if (VolatileFunctions.Contains(token.Value) && i + 1 < end && _s[i + 1].Kind == SqlTokenKind.OpenParen)
                    {
                        return token.Value.ToLowerInvariant() + "()";
                    }
                }
            }

            return null;
        }

        private void Reindex()
        {
            var i = 1;
            _s.SkipParenthesized(ref i);
            if (i >= _s.Count || _s[i].Kind != SqlTokenKind.Word)
            {
                return;
            }

            var kind = _s[i].Value;
            i++;
            if (_s.Accept(ref i, "CONCURRENTLY"))
            {
                CannotRunInTransaction("REINDEX CONCURRENTLY", 0, i - 1);
            }
            else if (kind is "SCHEMA" or "DATABASE" or "SYSTEM")
            {
                CannotRunInTransaction("REINDEX " + kind, 0, i - 1);
            }
        }

        private void Cluster()
        {
            var i = 1;
            _s.Accept(ref i, "VERBOSE");
            _s.SkipParenthesized(ref i);
            if (i >= _s.Count)
            {
                CannotRunInTransaction("CLUSTER without a table", 0, Last);
            }
        }

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

        private void Destructive(string verb, List<string> tables, string cascade)
        {
            var lost = tables.FindAll(t => !_migration.CreatedTables.Contains(t));
            if (lost.Count > 0)
            {
                DestructiveAt(verb + " " + string.Join(", ", lost) + cascade, 0, Last);
            }
        }

        private void DestructiveAt(string label, int first, int last)
        {
            if (!_migration.IsNewInstall && !_inDown && !_migration.IsDestructiveJustified)
            {
                Report(Descriptors.SW2012DestructiveWithoutJustification, first, last, null, label, _migration.MigrationName);
            }
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

        // Up's renames are remembered (the analyzer reads Up's SQL first); in Down, the exact reverse of one of them only
        // puts the name back, which is what a rollback must do.
        private bool ReversesUpsRename(string kind, string from, string to)
        {
            if (!_inDown)
            {
                _migration.RenamedInUp.Add($"{kind}:{from}->{to}");
                return false;
            }

            return _migration.RenamedInUp.Contains($"{kind}:{to}->{from}");
        }

        private void Report(Microsoft.CodeAnalysis.DiagnosticDescriptor rule, int firstToken, int lastToken, string? label, params object[] arguments) =>
            _findings.Add(new SqlFinding(rule, _s[firstToken].Start, _s[Math.Max(firstToken, lastToken)].End, label, arguments));
    }
}
