namespace Stepwise.Analyzers.Sql;

// Statements that hold a table for their whole run: maintenance, explicit locks, and writes to every row.
internal static partial class PostgresStatementRules
{
    private sealed partial class Checker
    {
        private void Vacuum()
        {
            CannotRunInTransaction("VACUUM", 0, Last);
            var i = 1;
            var full = _s.Accept(ref i, "FULL");
            if (!full && i < _s.Count && _s[i].Kind == SqlTokenKind.OpenParen)
            {
                full = _s.FindTopLevel(i + 1, _s.ClosingParen(i), "FULL") >= 0;
                _s.SkipParenthesized(ref i);
            }

            while (_s.Accept(ref i, "FREEZE") || _s.Accept(ref i, "VERBOSE") || _s.Accept(ref i, "ANALYZE"))
            {
            }

            var table = _s.ReadName(ref i);
            if (full && !IsExempt(table))
            {
                Report(Descriptors.SW2029TableRewrite, 0, Last, null, "VACUUM FULL", table ?? "every table");
                TakesStrongLock("VACUUM FULL", table, 0, Last);
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
                return;
            }

            var table = _s.ReadName(ref i);
            if (!IsExempt(table))
            {
                Report(Descriptors.SW2029TableRewrite, 0, Last, null, "CLUSTER", table ?? "?");
                TakesStrongLock("CLUSTER", table, 0, Last);
            }
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
            else if (kind is "INDEX" or "TABLE" && _s.ReadName(ref i) is { } name && !IsExempt(kind == "TABLE" ? name : null))
            {
                Report(Descriptors.SW2032ReindexWithoutConcurrently, 0, Last, null, kind, name);
                TakesStrongLock("REINDEX", name, 0, Last);
            }
        }

        // LOCK [TABLE] [ONLY] name [, …] [IN mode MODE] [NOWAIT]: modes from SHARE up block the application's writes.
        private void Lock()
        {
            var i = 1;
            _s.Accept(ref i, "TABLE");
            _s.Accept(ref i, "ONLY");
            var tables = ReadNameList(i);
            var lost = tables.FindAll(t => !IsExempt(t));
            if (lost.Count == 0)
            {
                return;
            }

            var inAt = _s.FindTopLevel(i, _s.Count, "IN");
            var modeAt = _s.FindTopLevel(i, _s.Count, "MODE");
            var mode = inAt >= 0 && modeAt > inAt ? Words(inAt + 1, modeAt) : "ACCESS EXCLUSIVE";
            var blocks = mode switch
            {
                "ACCESS EXCLUSIVE" => "reads and writes",
                "EXCLUSIVE" or "SHARE ROW EXCLUSIVE" or "SHARE" => "writes",
                _ => null,
            };

            if (blocks is not null)
            {
                Report(Descriptors.SW2030ExplicitTableLock, 0, Last, null, string.Join(", ", lost), mode, blocks);
                TakesStrongLock("LOCK TABLE", lost[0], 0, Last);
            }
        }

        private void Refresh()
        {
            var i = 1;
            if (!_s.Accept(ref i, "MATERIALIZED", "VIEW") || _s.Accept(ref i, "CONCURRENTLY"))
            {
                return;
            }

            // WITH NO DATA empties the view instead, and has no concurrent form.
            var view = _s.ReadName(ref i);
            if (!IsExempt(view) && _s.FindTopLevel(i, _s.Count, "NO", "DATA") < 0)
            {
                Report(Descriptors.SW2031RefreshWithoutConcurrently, 0, Last, null, view ?? "?");
                TakesStrongLock("REFRESH MATERIALIZED VIEW", view, 0, Last);
            }
        }

        // UPDATE, DELETE or INSERT on an existing table in an upgrade's transaction.
        private void WritesRows(string verb, int i)
        {
            _s.Accept(ref i, "ONLY");
            if (_migration.InDown || _migration.IsNewInstall || _s.ReadName(ref i) is not { } table || _migration.CreatedTables.Contains(table))
            {
                return;
            }

            // One statement over a whole table locks every row until the commit; a DELETE loses them. A WHERE (even one
            // that matches everything) says it was meant.
            if (verb != "INSERT" && _s.FindTopLevel(i, _s.Count, "WHERE") < 0)
            {
                Report(Descriptors.SW2016EveryRowWithoutWhere, 0, Last, null, verb, table);
            }

            if (!_migration.IsNonTransactional && _migration.AlteredTables.Contains(table))
            {
                Report(Descriptors.SW2028BackfillInAlteringTransaction, 0, Last, null, verb, table);
            }
        }

        // A new enum value is usable only once the transaction that added it has committed.
        private void UsesNewEnumValue()
        {
            if (_migration.AddedEnumValues.Count == 0 || (_s.IsWord(0, "ALTER") && _s.IsWord(1, "TYPE")))
            {
                return;
            }

            foreach (var added in _migration.AddedEnumValues)
            {
                if (_s.HasString(added.Key))
                {
                    Report(Descriptors.SW2027NewEnumValueUsedInSameTransaction, 0, Last, null, added.Key, added.Value);
                    return;
                }
            }
        }

        private string Words(int from, int to)
        {
            var words = new System.Collections.Generic.List<string>();
            for (var k = from; k < to; k++)
            {
                words.Add(_s[k].Value);
            }

            return string.Join(" ", words);
        }
    }
}
