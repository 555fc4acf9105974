namespace Stepwise.Analyzers.Sql;

internal static partial class PostgresStatementRules
{
    private sealed partial class Checker
    {
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

            _s.Accept(ref i, "OR", "REPLACE");
            if (_s.IsWord(i, "FUNCTION") || _s.IsWord(i, "PROCEDURE"))
            {
                CreateFunction(i + 1);
                return;
            }

            if (_s.Accept(ref i, "DOMAIN"))
            {
                CreateDomain(i);
                return;
            }

            _s.Accept(ref i, "CONSTRAINT");
            if (_s.Accept(ref i, "TRIGGER"))
            {
                var on = _s.FindTopLevel(i, _s.Count, "ON");
                if (on >= 0)
                {
                    var at = on + 1;
                    TakesStrongLock("CREATE TRIGGER", _s.ReadName(ref at), 0, on);
                }

                return;
            }

            i = 1;
            var temporary = _s.IsWord(1, "TEMP") || _s.IsWord(1, "TEMPORARY") || _s.IsWord(2, "TEMP") || _s.IsWord(2, "TEMPORARY");
            SkipTableModifiers(_s, ref i);
            if (_s.IsWord(i, "TABLE"))
            {
                var tableAt = i++;
                var ifNotExists = _s.Accept(ref i, "IF", "NOT", "EXISTS");
                if (!ifNotExists && !temporary)
                {
                    _findings.Add(new SqlFinding(Descriptors.SW2013NotIdempotent, _s[0].Start, _s[tableAt].End, null, "CREATE TABLE")
                        .Fixable(PostgresSqlAnalyzer.IfNotExistsFix));
                }

                if (!temporary)
                {
                    CreateTable(tableAt, i, ifNotExists);
                }
            }
        }

        private void CreateIndex(int indexAt)
        {
            var i = indexAt + 1;
            var concurrently = _s.Accept(ref i, "CONCURRENTLY");
            var keywordsEnd = concurrently ? i - 1 : indexAt;
            var idempotent = _s.Accept(ref i, "IF", "NOT", "EXISTS");
            string? name = null;
            if (!_s.IsWord(i, "ON"))
            {
                name = _s.ReadName(ref i);
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
                if (idempotent && name is not null && !_migration.IndexesDroppedFirst.Contains(name))
                {
                    Report(Descriptors.SW2037InvalidIndexKeptByIfNotExists, 0, keywordsEnd, null, name);
                }
            }
            else if (!IsExempt(table))
            {
                Report(Descriptors.SW2003CreateIndexWithoutConcurrently, 0, keywordsEnd, null, table ?? "?");
                TakesStrongLock("CREATE INDEX", table, 0, keywordsEnd);
            }

            if (!idempotent)
            {
                // IF NOT EXISTS needs the index's name; on a concurrent build it would keep an invalid leftover (SW2037).
                var finding = new SqlFinding(Descriptors.SW2013NotIdempotent, _s[0].Start, _s[keywordsEnd].End, null, "CREATE INDEX");
                _findings.Add(name is not null && !concurrently ? finding.Fixable(PostgresSqlAnalyzer.IfNotExistsFix) : finding);
            }

            if (name is null)
            {
                Report(Descriptors.SW2036UnnamedIndexOrConstraint, 0, keywordsEnd, null, "The index", table ?? "?");
            }
        }

        // Options of a function stand outside its body (a string constant), so a top-level search for them never reads the body.
        private void CreateFunction(int nameAt)
        {
            var i = nameAt;
            var key = SqlSurvey.FunctionKey(_s, ref i) ?? "?";
            var name = key.Split('/')[0];
            var definer = _s.FindTopLevel(i, _s.Count, "SECURITY", "DEFINER");

            // A later ALTER FUNCTION … SET search_path counts when the step's transaction commits both or neither.
            var givenLater = !_migration.IsNonTransactional && _migration.SearchPathLater(key);
            if (definer >= 0 && _s.FindTopLevel(i, _s.Count, "SET", "SEARCH_PATH") < 0 && !givenLater)
            {
                Report(Descriptors.SW2035SecurityDefinerWithoutSearchPath, definer, definer + 1, null, name);
            }
        }

        private void CreateDomain(int i)
        {
            _s.Accept(ref i, "IF", "NOT", "EXISTS");
            var name = _s.ReadName(ref i) ?? "?";
            if (!_migration.InDown &&
                (_s.FindTopLevel(i, _s.Count, "CHECK") >= 0 || _s.FindTopLevel(i, _s.Count, "NOT", "NULL") >= 0 || _s.FindTopLevel(i, _s.Count, "CONSTRAINT") >= 0))
            {
                Report(Descriptors.SW2045DomainWithConstraint, 0, Last, null, name);
            }
        }

        // CREATE TABLE name ( elements ): the schema-hygiene suggestions about its columns and key.
        private void CreateTable(int tableAt, int nameAt, bool ifNotExists)
        {
            var i = nameAt;
            var table = _s.ReadName(ref i);
            if (table is null)
            {
                return;
            }

            var key = ColumnHistory.TableKey(_s, nameAt) ?? table;

            // A new table: nothing known of an earlier one of that name holds; its columns are read below when listed.
            // With IF NOT EXISTS an existing table stays as it is, so its columns are only checked against the list.
            if (!ifNotExists)
            {
                _migration.Columns.Add(new ColumnChange(ColumnChangeKind.DropTable, key));
            }

            if (_s.IsWord(i, "OF") || _s.IsWord(i, "PARTITION") || i >= _s.Count || _s[i].Kind != SqlTokenKind.OpenParen)
            {
                return;
            }

            var close = _s.ClosingParen(i);
            var elements = _s.SplitTopLevel(i + 1, close);
            var columns = new ColumnDefinition?[elements.Count];
            for (var k = 0; k < elements.Count; k++)
            {
                var (start, end) = elements[k];
                if (!_s.IsWord(start, "LIKE") && !IsTableConstraint(start))
                {
                    var column = columns[k] = new ColumnDefinition(_s, start, end);
                    if (column.Name is not null)
                    {
                        _migration.Columns.Add(new ColumnChange(
                            ifNotExists ? ColumnChangeKind.DefineIfAbsent : ColumnChangeKind.Define, key, column.Name, column.DeclaredType));
                    }
                }
            }

            if (_migration.InDown)
            {
                return;
            }

            var keyColumns = TableKeyColumns(elements);
            var hasKey = keyColumns.Count > 0;
            for (var k = 0; k < elements.Count; k++)
            {
                if (_s.IsWord(elements[k].Start, "LIKE"))
                {
                    return;
                }

                if (columns[k] is { } column)
                {
                    hasKey |= column.IsPrimaryKey;
                    SuggestColumnHygiene(table, column, keyColumns.Contains(column.Name ?? ""));
                }
            }

            if (!hasKey && !_s.IsWord(close + 1, "AS"))
            {
                Report(Descriptors.SW2044TableWithoutPrimaryKey, 0, tableAt, null, table);
            }
        }

        private bool IsTableConstraint(int start) =>
            _s.IsWord(start, "CONSTRAINT") || _s.IsWord(start, "PRIMARY") || _s.IsWord(start, "UNIQUE") || _s.IsWord(start, "CHECK") ||
            _s.IsWord(start, "FOREIGN") || _s.IsWord(start, "EXCLUDE");

        // The columns of a table-level PRIMARY KEY (…), lower case.
        private System.Collections.Generic.HashSet<string> TableKeyColumns(System.Collections.Generic.List<(int Start, int End)> elements)
        {
            var columns = new System.Collections.Generic.HashSet<string>(System.StringComparer.Ordinal);
            foreach (var (start, end) in elements)
            {
                var at = _s.FindTopLevel(start, end, "PRIMARY", "KEY");
                if (at < 0 || !IsTableConstraint(start) || at + 2 >= end || _s[at + 2].Kind != SqlTokenKind.OpenParen)
                {
                    continue;
                }

                foreach (var (columnStart, _) in _s.SplitTopLevel(at + 3, _s.ClosingParen(at + 2)))
                {
                    var k = columnStart;
                    if (_s.ReadName(ref k) is { } column)
                    {
                        columns.Add(column);
                    }
                }
            }

            return columns;
        }
    }
}
