using System;
using System.Collections.Generic;

namespace Stepwise.Analyzers.Sql;

internal static partial class PostgresStatementRules
{
    private sealed partial class Checker
    {
        private static readonly HashSet<string> VolatileFunctions = new(StringComparer.Ordinal)
        {
            "RANDOM", "GEN_RANDOM_UUID", "UUID_GENERATE_V1", "UUID_GENERATE_V1MC", "UUID_GENERATE_V4", "UUIDV4", "UUIDV7",
            "CLOCK_TIMESTAMP", "TIMEOFDAY", "NEXTVAL", "SETSEED",
        };

        private static readonly HashSet<string> ColumnConstraintStarts = new(StringComparer.Ordinal)
        {
            "NOT", "NULL", "CONSTRAINT", "CHECK", "UNIQUE", "PRIMARY", "REFERENCES", "GENERATED", "COLLATE", "DEFAULT",
        };

        // ALTER TABLE … ADD: a constraint or a column.
        private void AddToTable(string table, int start, int end, int i)
        {
            string? constraintName = null;
            if (_s.Accept(ref i, "CONSTRAINT"))
            {
                constraintName = _s.ReadName(ref i);
            }

            if (IsTableConstraint(i) || constraintName is not null)
            {
                AddConstraint(table, start, end, i, constraintName);
                return;
            }

            _s.Accept(ref i, "COLUMN");
            var ifNotExists = _s.Accept(ref i, "IF", "NOT", "EXISTS");
            var column = new ColumnDefinition(_s, i, end);
            if (column.Name is null)
            {
                return;
            }

            _migration.Columns.Add(new ColumnChange(ifNotExists ? ColumnChangeKind.DefineIfAbsent : ColumnChangeKind.Define, HistoryTable(table), column.Name, column.DeclaredType));

            SuggestColumnHygiene(table, column, inTableKey: false);
            if (!IsExempt(table))
            {
                AddColumn(table, start, end, column);
            }
        }

        private void AddConstraint(string table, int start, int end, int i, string? name)
        {
            var notValid = _s.FindTopLevel(i, end, "NOT", "VALID") >= 0;
            if (name is not null && notValid)
            {
                _migration.NotValidConstraints.Add(table + "." + name);
            }

            // A constraint made from an index (USING INDEX) takes the index's name.
            if (name is null && !_s.IsWord(i, "PRIMARY") && _s.FindTopLevel(i, end, "USING", "INDEX") < 0)
            {
                Report(Descriptors.SW2036UnnamedIndexOrConstraint, start, end - 1, null, "ADD " + _s[i].Value, table);
            }

            if (IsExempt(table))
            {
                return;
            }

            var named = name is null ? string.Empty : $" '{name}'";
            if (_s.IsWord(i, "FOREIGN") || _s.IsWord(i, "CHECK"))
            {
                if (!notValid)
                {
                    var what = _s.IsWord(i, "FOREIGN") ? "foreign key" : "check constraint";
                    Report(Descriptors.SW2008ConstraintWithoutNotValid, start, end - 1, null, $"{what}{named} to '{table}'");
                }
            }
            else if (_s.IsWord(i, "PRIMARY") || _s.IsWord(i, "UNIQUE"))
            {
                if (_s.FindTopLevel(i, end, "USING", "INDEX") < 0)
                {
                    var what = _s.IsWord(i, "PRIMARY") ? "a primary key" : "a unique constraint";
                    Report(Descriptors.SW2009UniqueConstraintWithoutIndex, start, end - 1, null, $"{what}{named} to '{table}'");
                }
            }
            else if (_s.IsWord(i, "EXCLUDE"))
            {
                Report(Descriptors.SW2017ExclusionConstraintOnExistingTable, start, end - 1, null, named, table);
            }
        }

        private void AddColumn(string table, int start, int end, ColumnDefinition column)
        {
            var i = column.TypeEnd;
            var defaultAt = _s.FindTopLevel(i, end, "DEFAULT");
            var qualified = table + "." + column.Name;
            var generated = column.IsIdentity || column.IsStoredGenerated || _s.FindTopLevel(i, end, "GENERATED") >= 0;
            if (_s.FindTopLevel(i, end, "NOT", "NULL") >= 0 && defaultAt < 0 && !generated && !column.IsSerial)
            {
                Report(Descriptors.SW2005AddNotNullColumnWithoutDefault, start, end - 1, null, qualified);
            }

            var volatileCall = column.IsSerial ? column.Written : defaultAt >= 0 ? VolatileCallIn(defaultAt + 1, end) : null;
            if (volatileCall is not null)
            {
                Report(Descriptors.SW2010VolatileDefault, start, end - 1, null, qualified, volatileCall);
            }

            if (column.IsStoredGenerated || column.IsIdentity)
            {
                Report(Descriptors.SW2018ColumnComputedForEveryRow, start, end - 1, null, qualified, column.IsIdentity ? "an identity column" : "a stored generated column");
            }

            if (column.IsPrimaryKey || _s.FindTopLevel(i, end, "UNIQUE") >= 0)
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
    }
}
