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

    private readonly List<(string Expression, (string Name, object? Value)[] Parameters, bool Expected, string Expectation, string Found)> _checks = [];

    public bool IsEmpty => _checks.Count == 0;

    /// <summary>Holds back a check: <paramref name="expression"/> is a boolean SQL expression over <c>@name</c> parameters.</summary>
    public void Add(string expression, (string Name, object? Value)[] parameters, bool expected, string expectation, string found) =>
        _checks.Add((expression, parameters, expected, expectation, found));

    /// <summary>The held checks as statements to put before others in one command, with their parameters; forgets them.</summary>
    public Taken Take()
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        var sql = new StringBuilder();
        var parameters = new List<(string Name, object? Value)>();
        for (var i = 0; i < _checks.Count; i++)
        {
            // One command holds every check: each gets its own parameter names.
            var (expression, own, expected, expectation, whenFailed) = _checks[i];
            found.TryAdd(expectation, whenFailed);
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

        var count = _checks.Count;
        _checks.Clear();
        return new Taken(sql.ToString(), parameters, found) { Count = count };
    }

    /// <summary>Taken checks: their statements, their parameters, and what each reports found when it fails.</summary>
    /// <param name="Sql">The statements.</param>
    /// <param name="Parameters">Their parameters; a caller adds those of the statements it runs after them.</param>
    /// <param name="Found">By expectation (the message the server raises), what a failing check found.</param>
    public sealed record Taken(string Sql, List<(string Name, object? Value)> Parameters, IReadOnlyDictionary<string, string> Found)
    {
        /// <summary>No checks.</summary>
        public static Taken None => new(string.Empty, [], NothingFound);

        /// <summary>How many checks, each one statement of <see cref="Sql"/>.</summary>
        public int Count { get; init; }

        /// <summary>The <see cref="MigrationCheckException"/> a check's failure (SQLSTATE <see cref="FailedState"/>) would have been at once.</summary>
        public MigrationCheckException Failure(PostgresException failed) =>
            // The server raises the expectation alone: what the check found is kept here, by that text.
            Found.TryGetValue(failed.MessageText, out var found)
                ? new MigrationCheckException(failed.MessageText, found, failed)
                : new MigrationCheckException(failed.MessageText, failed);

        private static readonly Dictionary<string, string> NothingFound = [];
    }

    /// <summary>
    /// Runs SQL that holds taken checks, turning a check's failure into the <see cref="MigrationCheckException"/> it would
    /// have been at once.
    /// </summary>
    public static async Task<int> RunAsync(NpgsqlConnection connection, string sql, NpgsqlTransaction? transaction, Taken checks,
        CancellationToken cancellationToken)
    {
        try
        {
            return await connection.RunAsync(sql, transaction, cancellationToken, [.. checks.Parameters]).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == FailedState)
        {
            throw checks.Failure(ex);
        }
    }
}
