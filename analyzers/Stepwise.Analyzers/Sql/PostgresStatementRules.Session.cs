namespace Stepwise.Analyzers.Sql;

// SET: settings that outlive the step, and the ones other rules rely on (lock_timeout, the time zone).
internal static partial class PostgresStatementRules
{
    private sealed partial class Checker
    {
        private void Set()
        {
            var i = 1;
            if (_s.IsWord(1, "TRANSACTION") || _s.IsWord(1, "CONSTRAINTS"))
            {
                return;
            }

            var local = _s.Accept(ref i, "LOCAL");
            if (!local && !(_s.IsWord(i, "SESSION") && _s.IsWord(i + 1, "AUTHORIZATION")))
            {
                _s.Accept(ref i, "SESSION");
            }

            var name = SqlSurvey.SettingName(_s, i);
            var value = ValueAfterName(i);
            if (name == "lock_timeout" && value is not null)
            {
                // SET LOCAL outside a transaction block does nothing; 0 and DEFAULT mean no bound.
                _migration.LockTimeoutInForce = !(local && _migration.IsNonTransactional) && !IsNoBound(value);
            }
            else if (name == "timezone" && value is not null)
            {
                _migration.UtcSession = value.Equals("UTC", System.StringComparison.OrdinalIgnoreCase) ||
                    value.Equals("Etc/UTC", System.StringComparison.OrdinalIgnoreCase);
            }

            // SET ROLE NONE, SET SESSION AUTHORIZATION DEFAULT and SET x TO DEFAULT put the session back as it was.
            var restores = value is not null && (value.Equals("DEFAULT", System.StringComparison.OrdinalIgnoreCase) || value.Equals("NONE", System.StringComparison.OrdinalIgnoreCase)) ||
                _s.IsWord(Last, "DEFAULT") || (name == "role" && _s.IsWord(Last, "NONE"));
            if (!local && !restores && !_migration.ResetLater(name))
            {
                // SET LOCAL ends with the step's transaction; without one it would end with the call, too early to help.
                var finding = new SqlFinding(Descriptors.SW2034SessionSettingOutlivesStep, _s[0].Start, _s[Last].End, null, name);
                _findings.Add(_migration.IsNonTransactional ? finding : finding.Fixable(PostgresSqlAnalyzer.SetLocalFix));
            }
        }

        private static bool IsNoBound(string value) =>
            value.Equals("DEFAULT", System.StringComparison.OrdinalIgnoreCase) || System.Text.RegularExpressions.Regex.IsMatch(value, "^0+(ms|s|min)?$");

        /// <summary>RESET lock_timeout (or RESET ALL) puts the session's default back: no bound, as far as the build knows.</summary>
        private void Reset()
        {
            var name = SqlSurvey.SettingName(_s, 1);
            if (name is "lock_timeout" or SqlSurvey.All)
            {
                _migration.LockTimeoutInForce = false;
            }
        }

        // The value of SET name {TO | =} value, or of SET TIME ZONE value: the first token after the name.
        private string? ValueAfterName(int i)
        {
            for (; i < _s.Count; i++)
            {
                var token = _s[i];
                if (token.Kind == SqlTokenKind.Operator && token.Value == "=" || token.IsWord("TO") || token.IsWord("ZONE"))
                {
                    return i + 1 < _s.Count ? _s[i + 1].Value : null;
                }
            }

            return null;
        }
    }
}
