namespace Stepwise.Analyzers.Sql;

internal static partial class PostgresStatementRules
{
    private sealed partial class Checker
    {
        private static readonly string[] RenamedKinds = { "VIEW", "SEQUENCE", "SCHEMA", "FUNCTION", "PROCEDURE" };

        private void Alter()
        {
            var i = 1;
            if (_s.Accept(ref i, "SYSTEM"))
            {
                CannotRunInTransaction("ALTER SYSTEM", 0, 1);
            }
            else if (_s.IsWord(1, "TABLE"))
            {
                AlterTable();
            }
            else if (_s.Accept(ref i, "DOMAIN"))
            {
                AlterDomain(i);
            }
            else if (_s.Accept(ref i, "TYPE"))
            {
                AlterType(i);
            }
            else if (_s.Accept(ref i, "MATERIALIZED", "VIEW"))
            {
                RenameObject("materialized view", i);
            }
            else
            {
                foreach (var kind in RenamedKinds)
                {
                    if (_s.Accept(ref i, kind))
                    {
                        RenameObject(kind.ToLowerInvariant(), i);
                        return;
                    }
                }
            }
        }

        private void AlterTable()
        {
            if (SqlSurvey.AlteredTable(_s, out var actionsStart, out var nameAt) is not { } table)
            {
                return;
            }

            _historyTable = ColumnHistory.TableKey(_s, nameAt);

            // VALIDATE CONSTRAINT, ATTACH PARTITION, SET STATISTICS and DETACH … CONCURRENTLY take locks that let reads and writes through.
            var weakLock = _s.IsWord(actionsStart, "VALIDATE") || _s.IsWord(actionsStart, "ATTACH") ||
                _s.FindTopLevel(actionsStart, _s.Count, "CONCURRENTLY") >= 0 || _s.FindTopLevel(actionsStart, _s.Count, "SET", "STATISTICS") >= 0;
            if (!weakLock)
            {
                TakesStrongLock("ALTER TABLE", table, 0, 1);
            }

            foreach (var (start, end) in _s.SplitTopLevel(actionsStart))
            {
                AlterTableAction(table, start, end);
            }
        }

        private void AlterTableAction(string table, int start, int end)
        {
            var i = start;
            if (_s.Accept(ref i, "ADD"))
            {
                AddToTable(table, start, end, i);
            }
            else if (_s.Accept(ref i, "ALTER"))
            {
                AlterColumn(table, start, end, i);
            }
            else if (_s.Accept(ref i, "RENAME"))
            {
                RenameInTable(table, start, end, i);
            }
            else if (_s.Accept(ref i, "DROP"))
            {
                DropFromTable(table, start, end, i);
            }
            else if (_s.Accept(ref i, "DETACH", "PARTITION"))
            {
                DetachPartition(table, start, end, i);
            }
            else if (_s.Accept(ref i, "VALIDATE", "CONSTRAINT"))
            {
                var name = _s.ReadName(ref i);
                if (name is not null && _migration.NotValidConstraints.Contains(table + "." + name) && !_migration.IsNonTransactional)
                {
                    Report(Descriptors.SW2019ValidatedInSameTransaction, start, end - 1, null, name);
                }
            }
            else
            {
                TableSettings(table, start, end, i);
            }
        }

        // Actions that change how the table behaves rather than its columns: triggers, replication, row security, storage.
        private void TableSettings(string table, int start, int end, int i)
        {
            if (_s.Accept(ref i, "DISABLE", "TRIGGER"))
            {
                var trigger = SqlSurvey.TriggerName(_s, i);
                if (IsUpgradeChange(table) && !_migration.EnabledLater(table + ":" + trigger) && !_migration.EnabledLater(table + ":ALL"))
                {
                    Report(Descriptors.SW2023TriggersLeftDisabled, start, end - 1, null, trigger is "ALL" or "USER" ? trigger : $"'{trigger}'", table);
                }
            }
            else if (_s.Accept(ref i, "DISABLE", "ROW", "LEVEL", "SECURITY") || _s.Accept(ref i, "NO", "FORCE", "ROW", "LEVEL", "SECURITY"))
            {
                // Turned on again later in the same method: in one transaction, no other session sees the table without it.
                if (IsUpgradeChange(table) &&
                    (_migration.IsNonTransactional || !_migration.RowSecurityLater(table, _s.IsWord(start, "NO") ? "FORCE" : "ENABLE")))
                {
                    Report(Descriptors.SW2025RowSecurityTurnedOff, start, end - 1, null, _s.IsWord(start, "NO") ? "NO FORCE ROW LEVEL SECURITY" : "DISABLE ROW LEVEL SECURITY", table);
                }
            }
            else if (_s.Accept(ref i, "REPLICA", "IDENTITY"))
            {
                if (IsUpgradeChange(table) && i < end)
                {
                    Report(Descriptors.SW2024ReplicaIdentityChanged, start, end - 1, null, table, _s.IsWord(i, "USING") ? Words(i, end) : _s[i].Value);
                }
            }
            else if (_s.Accept(ref i, "SET", "TABLESPACE") || _s.Accept(ref i, "SET", "LOGGED") || _s.Accept(ref i, "SET", "UNLOGGED"))
            {
                if (!IsExempt(table))
                {
                    Report(Descriptors.SW2029TableRewrite, start, end - 1, null, "SET " + _s[start + 1].Value, table);
                }
            }
        }

        private void AlterColumn(string table, int start, int end, int i)
        {
            if (_s.IsWord(i, "CONSTRAINT"))
            {
                return;
            }

            _s.Accept(ref i, "COLUMN");
            var column = _s.ReadName(ref i);
            if (column is not null && (_s.Accept(ref i, "SET", "DATA", "TYPE") || _s.Accept(ref i, "TYPE")))
            {
                Retype(table, column, start, end, i);
                return;
            }

            if (IsExempt(table))
            {
                return;
            }

            var qualified = table + "." + column;
            if (_s.Accept(ref i, "SET", "NOT", "NULL"))
            {
                Report(Descriptors.SW2006SetNotNull, start, end - 1, null, qualified);
            }
            else if (_s.Accept(ref i, "DROP", "NOT", "NULL"))
            {
                if (!_migration.InDown)
                {
                    Report(Descriptors.SW2020DropNotNull, start, end - 1, null, qualified);
                }
            }
            else if (_s.Accept(ref i, "DROP", "DEFAULT"))
            {
                if (!_migration.InDown)
                {
                    Report(Descriptors.SW2021DropDefault, start, end - 1, null, qualified);
                }
            }
        }

        // ALTER COLUMN … TYPE: recorded for the column history, and reported unless the change keeps every row as it is.
        private void Retype(string table, string column, int start, int end, int i)
        {
            var type = ColumnDefinition.ReadType(_s, ref i, end, out var written, out _);
            var collates = _s.FindTopLevel(i, end, "COLLATE") >= 0;
            var declared = ColumnDefinition.IsArraySuffix(_s, i, end) || collates ? null : ColumnType.From(type, written);
            var change = new ColumnChange(ColumnChangeKind.Retype, HistoryTable(table), column, declared);
            _migration.Columns.Add(change);
            var converts = _s.FindTopLevel(i, end, "USING") >= 0;

            // timestamp ↔ timestamptz keeps every stored value as it is when the session's time zone is UTC.
            if (IsExempt(table) || (type is "timestamptz" or "timestamp" && _migration.UtcSession && !converts))
            {
                return;
            }

            // Whether a plain change keeps the rows depends on the column's earlier type, which an earlier migration may
            // have set: the finding waits for the whole compilation. A USING expression or a new collation always rewrites.
            var awaits = !converts && declared is not null;
            _findings.Add(new SqlFinding(Descriptors.SW2007AlterColumnType, _s[start].Start, _s[end - 1].End, null, table + "." + column)
                .Awaiting(awaits ? change : null));
        }

        // RENAME TO new, or RENAME [COLUMN] old TO new: the column history follows the name.
        private void RecordRename(string table, int i)
        {
            if (_s.Accept(ref i, "TO"))
            {
                if (_s.ReadName(ref i) is { } renamed)
                {
                    _migration.Columns.Add(new ColumnChange(ColumnChangeKind.RenameTable, HistoryTable(table), newName: ColumnHistory.Renamed(HistoryTable(table), renamed)));
                }

                return;
            }

            _s.Accept(ref i, "COLUMN");
            var column = _s.ReadName(ref i);
            if (column is not null && _s.Accept(ref i, "TO") && _s.ReadName(ref i) is { } newName)
            {
                _migration.Columns.Add(new ColumnChange(ColumnChangeKind.RenameColumn, HistoryTable(table), column, newName: newName));
            }
        }

        private void RenameInTable(string table, int start, int end, int i)
        {
            RecordRename(table, i);
            if (_s.IsWord(i, "CONSTRAINT") || IsExempt(table))
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

        private void DropFromTable(string table, int start, int end, int i)
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
            if (column is not null)
            {
                _migration.Columns.Add(new ColumnChange(ColumnChangeKind.DropColumn, HistoryTable(table), column));
            }

            if (!_migration.CreatedTables.Contains(table))
            {
                DestructiveAt("DROP COLUMN " + table + "." + column, start, end - 1);
            }
        }

        private void DetachPartition(string table, int start, int end, int i)
        {
            var partition = _s.ReadName(ref i) ?? "?";
            if (_s.FindTopLevel(i, end, "CONCURRENTLY") >= 0)
            {
                CannotRunInTransaction("DETACH PARTITION CONCURRENTLY", start, end - 1);
            }
            else if (_s.FindTopLevel(i, end, "FINALIZE") < 0 && !IsExempt(table))
            {
                Report(Descriptors.SW2033DetachPartitionWithoutConcurrently, start, end - 1, null, partition, table);
            }
        }

        private void AlterDomain(int i)
        {
            var domain = _s.ReadName(ref i) ?? "?";
            var start = i;
            if (_s.Accept(ref i, "SET", "NOT", "NULL"))
            {
                if (IsUpgradeChange(domain))
                {
                    Report(Descriptors.SW2026DomainConstraintChecksEveryColumn, start, i - 1, null, "SET NOT NULL", domain);
                }
            }
            else if (_s.Accept(ref i, "ADD") && _s.FindTopLevel(i, _s.Count, "NOT", "VALID") < 0 && IsUpgradeChange(domain))
            {
                Report(Descriptors.SW2026DomainConstraintChecksEveryColumn, start, Last, null, "ADD CONSTRAINT", domain);
            }
        }

        private void AlterType(int i)
        {
            var type = _s.ReadName(ref i) ?? "?";
            if (_s.Accept(ref i, "ADD", "VALUE"))
            {
                _s.Accept(ref i, "IF", "NOT", "EXISTS");
                // Values of a type created in the same transaction can be used at once.
                if (i < _s.Count && _s[i].Kind == SqlTokenKind.String && !_migration.CreatedTables.Contains(type))
                {
                    _migration.AddedEnumValues[_s[i].Value] = type;
                }
            }
            else if (_s.Accept(ref i, "RENAME", "VALUE") && i + 2 < _s.Count && _s[i].Kind == SqlTokenKind.String && _s[i + 2].Kind == SqlTokenKind.String)
            {
                if (!_migration.IsNewInstall && !ReversesUpsRename("enum value", type + "." + _s[i].Value, type + "." + _s[i + 2].Value))
                {
                    Report(Descriptors.SW2011RenameTableOrColumn, 0, Last, null, $"enum value '{_s[i].Value}' of '{type}' to '{_s[i + 2].Value}'");
                }
            }
            else
            {
                RenameObject("type", 2);
            }
        }

        // ALTER VIEW | MATERIALIZED VIEW | SEQUENCE | SCHEMA | FUNCTION | PROCEDURE | TYPE name [(arguments)] RENAME TO new.
        private void RenameObject(string kind, int i)
        {
            _s.Accept(ref i, "IF", "EXISTS");
            var name = _s.ReadName(ref i);
            _s.SkipParenthesized(ref i);
            if (name is null || !_s.Accept(ref i, "RENAME", "TO") || IsExempt(name))
            {
                return;
            }

            var renamed = _s.ReadName(ref i) ?? "?";
            if (!ReversesUpsRename(kind, name, renamed))
            {
                Report(Descriptors.SW2011RenameTableOrColumn, 0, Last, null, $"{kind} '{name}' to '{renamed}'");
            }
        }

        // Up's renames are remembered (the analyzer reads Up's SQL first); in Down, the exact reverse of one of them only
        // puts the name back, which is what a rollback must do.
        private bool ReversesUpsRename(string kind, string from, string to)
        {
            if (!_migration.InDown)
            {
                _migration.RenamedInUp.Add($"{kind}:{from}->{to}");
                return false;
            }

            return _migration.RenamedInUp.Contains($"{kind}:{to}->{from}");
        }
    }
}
