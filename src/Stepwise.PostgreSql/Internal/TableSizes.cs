using Npgsql;
using Stepwise.Execution;

namespace Stepwise.PostgreSql.Internal;

/// <summary>
/// The size of the tables a migration declares it changes (<c>[Changes]</c>), indexes and TOAST included: read before
/// the step and after its commit, outside the step's transaction. Nothing is read for a migration that declares nothing.
/// </summary>
internal static class TableSizes
{
    private const string Read =
        """
        SELECT t.name, pg_total_relation_size(to_regclass(t.name))
        FROM unnest(@tables::text[]) WITH ORDINALITY AS t (name, n)
        ORDER BY t.n
        """;

    /// <summary>The sizes, in the order given; <c>null</c> when they could not be read (a name the server cannot parse).</summary>
    public static async Task<IReadOnlyList<(string Table, long? Bytes)>?> TryReadAsync(NpgsqlConnection connection, IReadOnlyList<string> tables,
        CancellationToken cancellationToken)
    {
        try
        {
            await using var command = connection.Command(Read, null, [("tables", tables.ToArray())]);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var sizes = new List<(string, long?)>(tables.Count);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                sizes.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetInt64(1)));
            }

            return sizes;
        }
        catch (PostgresException)
        {
            return null;
        }
    }

    /// <summary>Pairs the sizes read before and after; a table that did not exist before is left out.</summary>
    public static IReadOnlyList<TableSize> Pair(IReadOnlyList<(string Table, long? Bytes)> before, IReadOnlyList<(string Table, long? Bytes)> after) =>
        [.. before.Zip(after).Where(static p => p.First.Bytes is not null).Select(static p => new TableSize(p.First.Table, p.First.Bytes!.Value, p.Second.Bytes))];
}
