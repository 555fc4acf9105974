using System.Text;
using Npgsql;

namespace Stepwise.PostgreSql.Internal;

/// <summary>
/// The <c>Require…</c> checks of a step's closing phase (<c>Validate</c>, or the rollback's <c>PreCheck</c>), held back
/// so that they go to the server with the step's commit instead of costing a round trip each; or those of a
/// <c>PreCheck</c> whose <c>Up</c> sends one statement, which go with that statement. Each becomes a statement
/// that calls <c>stepwise.require</c> only when the check does not hold, which raises SQLSTATE <see cref="FailedState"/>:
/// the server then skips the rest of the batch, the commit included.
/// </summary>
internal sealed class DeferredChecks
{
    /// <summary>The SQLSTATE <c>stepwise.require</c> raises.</summary>
    public const string FailedState = "SWCHK";

    private readonly List<(string Expression, (string Name, object? Value)[] Parameters, bool Expected, string Expectation)> _checks = [];

    public bool IsEmpty => _checks.Count == 0;

    /// <summary>Holds back a check: <paramref name="expression"/> is a boolean SQL expression over <c>@name</c> parameters.</summary>
    public void Add(string expression, (string Name, object? Value)[] parameters, bool expected, string expectation) =>
        _checks.Add((expression, parameters, expected, expectation));

    /// <summary>The held checks as statements to put before others in one command, with their parameters; forgets them.</summary>
    public (string Sql, List<(string Name, object? Value)> Parameters) Take()
    {
        var sql = new StringBuilder();
        var parameters = new List<(string Name, object? Value)>();
        for (var i = 0; i < _checks.Count; i++)
        {
            // One command holds every check: each gets its own parameter names.
            var (expression, own, expected, expectation) = _checks[i];
            var prefix = $"check{i}_";
            foreach (var (name, value) in own)
            {
                expression = expression.Replace("@" + name, "@" + prefix + name, StringComparison.Ordinal);
                parameters.Add((prefix + name, value));
            }

            // The call is made only for a check that does not hold, so one that holds costs no PL/pgSQL call and sends
            // back no row.
            sql.Append("SELECT stepwise.require(false, @").Append(prefix).Append("expectation) WHERE (").Append(expression)
                .Append(") IS DISTINCT FROM @").Append(prefix).AppendLine("expected;");
            parameters.Add((prefix + "expected", expected));
            parameters.Add((prefix + "expectation", expectation));
        }

        _checks.Clear();
        return (sql.ToString(), parameters);
    }

    /// <summary>
    /// Runs SQL that holds taken checks, turning a check's failure into the <see cref="MigrationCheckException"/> it would
    /// have been at once.
    /// </summary>
    public static async Task<int> RunAsync(NpgsqlConnection connection, string sql, NpgsqlTransaction? transaction,
        List<(string Name, object? Value)> parameters, CancellationToken cancellationToken)
    {
        try
        {
            return await connection.RunAsync(sql, transaction, cancellationToken, [.. parameters]).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == FailedState)
        {
            throw new MigrationCheckException(ex.MessageText, ex);
        }
    }
}
