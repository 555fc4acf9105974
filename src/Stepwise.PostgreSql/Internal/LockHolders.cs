using System.Globalization;
using Npgsql;

namespace Stepwise.PostgreSql.Internal;

/// <summary>Who holds a project's advisory lock, from <c>pg_locks</c> and <c>pg_stat_activity</c>, for the lock timeout's message.</summary>
internal static class LockHolders
{
    // A bigint advisory lock shows as classid (high 32 bits), objid (low 32 bits) and objsubid 1. A user without
    // pg_read_all_stats sees other users' sessions without their address or application name: whatever is visible is said.
    private const string Query =
        """
        SELECT l.pid, a.application_name, host(a.client_addr), a.usename, a.backend_start, a.state, a.state_change
        FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
          AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND l.classid::bigint = (@key >> 32) & 4294967295 AND l.objid::bigint = @key & 4294967295
        """;

    /// <summary>A sentence naming the holder, or <c>null</c> when it cannot be seen (it let go meanwhile, or the query failed).</summary>
    public static async Task<string?> DescribeAsync(NpgsqlConnection connection, long key)
    {
        try
        {
            await using var command = connection.Command(Query, null, [("key", key)], timeoutSeconds: 10);
            await using var reader = await command.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false);
            if (!await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                return null;
            }

            var parts = new List<string> { $"pid {reader.GetInt32(0).ToString(CultureInfo.InvariantCulture)}" };
            if (reader.NullableString(1) is { Length: > 0 } application)
            {
                parts.Add($"application '{EchoedInput.Show(application)}'");
            }

            if (reader.NullableString(2) is { } client)
            {
                parts.Add($"client {client}");
            }

            if (reader.NullableString(3) is { } user)
            {
                parts.Add($"user {user}");
            }

            if (!reader.IsDBNull(4))
            {
                parts.Add($"connected since {reader.GetFieldValue<DateTimeOffset>(4).ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC");
            }

            if (reader.NullableString(5) is { } state && !reader.IsDBNull(6))
            {
                parts.Add($"{state} since {reader.GetFieldValue<DateTimeOffset>(6).ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC");
            }

            return string.Join(", ", parts);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            return null;
        }
    }
}
