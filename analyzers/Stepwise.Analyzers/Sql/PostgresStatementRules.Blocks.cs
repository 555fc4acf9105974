namespace Stepwise.Analyzers.Sql;

internal static partial class PostgresStatementRules
{
    private sealed partial class Checker
    {
        // DO $$ … $$: the rules do not check the block's statements, so the column history forgets every table the block
        // may create, alter or drop (every table, when it runs SQL it builds). A type change judged later then counts the
        // column's earlier type as unknown.
        private void ForgetTablesInBlock()
        {
            for (var k = 1; k < _s.Count; k++)
            {
                if (_s[k].Kind != SqlTokenKind.String)
                {
                    continue;
                }

                var body = SqlStatement.Split(SqlTokenizer.Tokenize(_s[k].Value));
                foreach (var statement in body)
                {
                    // EXECUTE runs SQL built as the block runs: any table may change.
                    if (statement.FindTopLevel(0, statement.Count, "EXECUTE") >= 0)
                    {
                        _migration.Columns.Add(new ColumnChange(ColumnChangeKind.ForgetAll, string.Empty));
                        return;
                    }

                    for (var i = 1; i < statement.Count; i++)
                    {
                        if (statement.IsWord(i, "TABLE") && (statement.IsWord(i - 1, "ALTER") || statement.IsWord(i - 1, "DROP") || statement.IsWord(i - 1, "CREATE")))
                        {
                            var at = i + 1;
                            _ = statement.Accept(ref at, "IF", "NOT", "EXISTS") || statement.Accept(ref at, "IF", "EXISTS");
                            statement.Accept(ref at, "ONLY");
                            if (ColumnHistory.TableKey(statement, at) is { } table)
                            {
                                _migration.Columns.Add(new ColumnChange(ColumnChangeKind.DropTable, table));
                            }
                        }
                    }
                }
            }
        }
    }
}
