using System.Collections.Generic;

namespace Stepwise.Analyzers.Sql;

internal static partial class PostgresStatementRules
{
    private sealed partial class Checker
    {
        private static readonly string[] DroppedKinds = { "VIEW", "FUNCTION", "PROCEDURE", "TYPE", "SEQUENCE", "TRIGGER", "DOMAIN", "EXTENSION", "POLICY", "SCHEMA" };

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
                DropIndex(i);
            }
            else if (_s.Accept(ref i, "TABLE"))
            {
                _s.Accept(ref i, "IF", "EXISTS");
                var tables = ReadNameList(i);
                ForgetDroppedTables(i);

                Destructive("DROP TABLE", tables, Cascade());
                TakesStrongLock("DROP TABLE", tables.Count > 0 ? tables[0] : null, 0, 1);
            }
        }

        // DROP TABLE a, s.b: each table's column history ends (by its key, schema and all).
        private void ForgetDroppedTables(int i)
        {
            while (i < _s.Count && ColumnHistory.TableKey(_s, i) is { } key)
            {
                _migration.Columns.Add(new ColumnChange(ColumnChangeKind.DropTable, key));
                _s.ReadName(ref i);
                if (i >= _s.Count || _s[i].Kind != SqlTokenKind.Comma)
                {
                    return;
                }

                i++;
            }
        }

        private void DropIndex(int i)
        {
            if (_s.Accept(ref i, "CONCURRENTLY"))
            {
                CannotRunInTransaction("DROP INDEX CONCURRENTLY", 0, 2);
                if (_s.Accept(ref i, "IF", "EXISTS") && _s.ReadName(ref i) is { } name)
                {
                    _migration.IndexesDroppedFirst.Add(name);
                }
            }
            else if (!_migration.IsNewInstall)
            {
                Report(Descriptors.SW2004DropIndexWithoutConcurrently, 0, 1, null);
                _s.Accept(ref i, "IF", "EXISTS");
                TakesStrongLock("DROP INDEX", _s.ReadName(ref i), 0, 1);
            }
        }

        // The objects besides tables and indexes whose drop loses something the running application may use: code
        // (functions, triggers), shapes (types, domains), access (policies), whole namespaces.
        private string? DroppedKind(ref int i)
        {
            foreach (var kind in DroppedKinds)
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
            var tables = ReadNameList(i);
            Destructive("TRUNCATE", tables, Cascade());
            TakesStrongLock("TRUNCATE", tables.Count > 0 ? tables[0] : null, 0, 0);
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
            if (!_migration.IsNewInstall && !_migration.InDown && !_migration.IsDestructiveJustified)
            {
                Report(Descriptors.SW2012DestructiveWithoutJustification, first, last, null, label, _migration.MigrationName);
            }
        }
    }
}
