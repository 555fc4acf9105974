namespace Stepwise.Analyzers.Sql;

internal static partial class PostgresStatementRules
{
    private sealed partial class Checker
    {
        // Schema hygiene (opt-in suggestions) about a new column's type.
        private void SuggestColumnHygiene(string table, ColumnDefinition column, bool inTableKey)
        {
            if (column.Name is null || column.Type is null || _migration.InDown)
            {
                return;
            }

            var qualified = table + "." + column.Name;
            var first = column.TypeStart;
            var last = System.Math.Max(first, column.TypeEnd - 1);
            var small = column.Type is "integer" or "smallint" or "serial" or "smallserial";
            if (small && (column.IsPrimaryKey || inTableKey || column.IsIdentity || column.IsSerial))
            {
                var limit = column.Type is "smallint" or "smallserial" ? "32,767" : "2,147,483,647";
                Report(Descriptors.SW2038PreferBigintKey, first, last, null, qualified, column.Written, limit);
            }

            if (column.IsSerial)
            {
                Report(Descriptors.SW2039PreferIdentity, first, last, null, qualified, column.Written);
            }

            switch (column.Type)
            {
                case "varchar" when column.HasLength:
                    Report(Descriptors.SW2040PreferText, first, last, null, qualified, column.Written);
                    break;
                case "timestamp":
                    Report(Descriptors.SW2041PreferTimestamptz, first, last, null, qualified);
                    break;
                case "char":
                    Report(Descriptors.SW2042AvoidCharN, first, last, null, qualified, column.Written);
                    break;
                case "json":
                    Report(Descriptors.SW2043PreferJsonb, first, last, null, qualified);
                    break;
            }
        }
    }
}
