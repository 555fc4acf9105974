using Npgsql;

namespace Stepwise.PostgreSql.Internal;

/// <summary>
/// What an interrupted non-transactional step leaves unusable in PostgreSQL: an index whose <c>CREATE INDEX
/// CONCURRENTLY</c> (or <c>REINDEX CONCURRENTLY</c>) did not finish stays INVALID. The planner never uses it, writes
/// still maintain it, and <c>CREATE INDEX ... IF NOT EXISTS</c> skips it because the name exists.
/// </summary>
internal static class Leftovers
{
    private const string InvalidIndexes =
        """
        SELECT format('index %s on %s is INVALID (a CREATE INDEX CONCURRENTLY that did not finish; the migration''s Down, or DROP INDEX CONCURRENTLY, removes it)',
                      i.indexrelid::regclass, i.indrelid::regclass)
        FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE NOT i.indisvalid AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_toast%'
        ORDER BY 1
        """;

    public static async Task<IReadOnlyList<string>> FindAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(InvalidIndexes, null, []);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var found = new List<string>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            found.Add(reader.GetString(0));
        }

        return found;
    }
}
