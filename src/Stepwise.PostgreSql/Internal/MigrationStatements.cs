using Npgsql;
using Stepwise.Execution;

namespace Stepwise.PostgreSql.Internal;

/// <summary>
/// Sends a migration's own SQL for its context, and names on the server's error the statement it refused
/// (<see cref="FailedStatement"/>): in a script of forty statements, which one failed and on which line.
/// </summary>
internal static class MigrationStatements
{
    /// <summary>
    /// Runs <paramref name="sql"/> as one command, after the held <paramref name="checks"/> when there are any; a check's
    /// failure becomes the <see cref="MigrationCheckException"/> it would have been at once.
    /// </summary>
    public static async Task<int> RunAsync(NpgsqlConnection connection, string sql, NpgsqlTransaction? transaction, DeferredChecks.Taken? checks,
        CancellationToken cancellationToken)
    {
        await using var command = checks is null
            ? connection.Command(sql, transaction, [])
            : connection.Command(checks.Sql + sql, transaction, [.. checks.Parameters]);
        try
        {
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (checks is not null && ex.SqlState == DeferredChecks.FailedState)
        {
            throw checks.Failure(ex);
        }
        catch (PostgresException ex)
        {
            TryName(ex, sql, connection, Sent(command), checks?.Count ?? 0, positionHolds: true);
            throw;
        }
    }

    /// <summary>
    /// Names <paramref name="sql"/> on a failure of a command that sent it alone, when it is one statement.
    /// <paramref name="positionHolds"/>: the server's position counts in <paramref name="sql"/> as written (false
    /// through Dapper, which has Npgsql rename its parameters to $1, $2, …).
    /// </summary>
    public static async Task<T> NamedOnFailureAsync<T>(Task<T> running, string sql, NpgsqlConnection connection, bool positionHolds)
    {
        try
        {
            return await running.ConfigureAwait(false);
        }
        catch (PostgresException ex)
        {
            TryName(ex, sql, connection, sent: null, before: 0, positionHolds);
            throw;
        }
    }

    // Naming is a courtesy: whatever goes wrong in it, the server's own error is what the caller gets.
    private static void TryName(PostgresException ex, string sql, NpgsqlConnection connection, IReadOnlyList<NpgsqlBatchCommand>? sent, int before,
        bool positionHolds)
    {
        try
        {
            Name(ex, sql, connection, sent, before, positionHolds);
        }
        catch (Exception naming) when (naming is not OutOfMemoryException)
        {
            // Nothing named; the failure is still told.
        }
    }

    // Npgsql cuts a command's text into statements and, told to (Include Failed Batched Command), puts the refused one on
    // its error. The batch API would name it too, but would send the script cut by our reading instead of Npgsql's.
#pragma warning disable CS0618 // NpgsqlCommand.Statements: the one public list of the statements a command was cut into.
    private static IReadOnlyList<NpgsqlBatchCommand> Sent(NpgsqlCommand command) => command.Statements;
#pragma warning restore CS0618

    /// <param name="ex">The server's error.</param>
    /// <param name="sql">The migration's SQL.</param>
    /// <param name="connection">Its connection (for how the server reads string literals).</param>
    /// <param name="sent">The statements Npgsql sent, when known: the held checks first, then those of <paramref name="sql"/>.</param>
    /// <param name="before">How many of <paramref name="sent"/> were held checks.</param>
    /// <param name="positionHolds">Whether the server's position counts in <paramref name="sql"/> as written.</param>
    private static void Name(PostgresException ex, string sql, NpgsqlConnection connection, IReadOnlyList<NpgsqlBatchCommand>? sent, int before,
        bool positionHolds)
    {
        var statements = SqlStatements.Split(sql, ConformingStrings(connection));
        var index = sent is null
            ? (statements.Count == 1 ? 0 : -1)
            : (ex.BatchCommand is { } failed ? IndexOf(sent, failed) : sent.Count == 1 ? 0 : -1) - before;

        // A count that differs from Npgsql's means the two read the script differently: naming nothing beats naming the
        // wrong statement.
        if (index < 0 || index >= statements.Count || (sent is not null && sent.Count - before != statements.Count))
        {
            return;
        }

        var (offset, length) = statements[index].GetOffsetAndLength(sql.Length);
        var whole = sql.AsSpan(offset, length);
        var blank = whole.Length - whole.TrimStart().Length;

        // Shown from its code: a comment before the statement, flattened onto one line, would read as if it hid the statement.
        var code = SqlStatements.CodeStart(sql, offset, offset + length);
        var text = code < offset + length ? sql.AsSpan(code, offset + length - code) : whole;

        // The server's position counts from the start of the statement as sent: after held checks, the script's first
        // statement is sent from its first non-blank, as every later one is.
        var sentFrom = index == 0 && before == 0 ? offset : offset + blank;
        var position = positionHolds ? ex.Position : 0;
        var at = position > 0 && sentFrom + position - 1 < offset + length ? sentFrom + position - 1 : code;
        new FailedStatement(text.Trim().ToString(), index + 1, statements.Count, LineAt(sql, at)).AttachTo(ex);
    }

    private static int IndexOf(IReadOnlyList<NpgsqlBatchCommand> sent, NpgsqlBatchCommand failed)
    {
        for (var i = 0; i < sent.Count; i++)
        {
            if (ReferenceEquals(sent[i], failed))
            {
                return i;
            }
        }

        return -1;
    }

    private static int LineAt(string sql, int offset) => sql.AsSpan(0, Math.Min(offset, sql.Length)).Count('\n') + 1;

    // A connection the error broke (Npgsql breaks it on the server's fatal errors: out of memory, disk full, shutdown)
    // no longer answers for its parameters: PostgreSQL's default then.
    private static bool ConformingStrings(NpgsqlConnection connection) =>
        connection.FullState != System.Data.ConnectionState.Open ||
        !connection.PostgresParameters.TryGetValue("standard_conforming_strings", out var value) || value == "on";
}
