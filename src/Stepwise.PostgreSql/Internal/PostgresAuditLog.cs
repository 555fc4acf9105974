using Npgsql;
using Stepwise.Execution;

namespace Stepwise.PostgreSql.Internal;

/// <summary>Reads table <c>stepwise.audit_log</c> for the <c>audit</c> command.</summary>
internal static class PostgresAuditLog
{
    // Who ran it is read through to_jsonb: a database whose schema predates those columns (read by a newer runner that
    // has not yet run there) gives nulls instead of an error, and the read still creates nothing.
    private const string Select =
        """
        SELECT a.id, a.run_id, a.project, a.operation, a.from_version, a.target_version, a.environment, a.host, a.database_user,
               a.runner_version, a.started_at, a.finished_at, a.outcome, a.message,
               CASE WHEN a.operation = 'rehearsal' THEN 0
                    ELSE (SELECT count(*) FROM stepwise.migration_history h WHERE h.run_id = a.run_id)::integer END,
               to_jsonb(a) ->> 'actor', to_jsonb(a) ->> 'os_user', to_jsonb(a) ->> 'service_account',
               to_jsonb(a) ->> 'git_commit', to_jsonb(a) ->> 'image'
        FROM stepwise.audit_log a
        WHERE (@project::text IS NULL OR a.project = @project)
          AND (@environment::text IS NULL OR a.environment = @environment)
          AND (@since::timestamptz IS NULL OR a.started_at >= @since)
          AND (@outcome::text IS NULL OR a.outcome = @outcome)
          AND (@run::text IS NULL OR a.run_id::text LIKE @run || '%')
        ORDER BY a.id DESC
        LIMIT @limit
        """;

    public static async Task<IReadOnlyList<AuditRun>> ReadAsync(NpgsqlConnection connection, AuditQuery query, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(Select, null,
        [
            ("project", query.Project), ("environment", query.Environment), ("since", query.Since), ("outcome", query.Outcome),
            ("run", query.RunId?.ToLowerInvariant()), ("limit", query.Limit),
        ]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var runs = new List<AuditRun>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            runs.Add(new AuditRun(reader.GetInt64(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3), reader.NullableString(4),
                reader.NullableString(5), reader.NullableString(6), reader.GetString(7), reader.GetString(8), reader.GetString(9),
                reader.GetFieldValue<DateTimeOffset>(10), reader.IsDBNull(11) ? null : reader.GetFieldValue<DateTimeOffset>(11), reader.GetString(12),
                reader.NullableString(13), reader.GetInt32(14))
            {
                Actor = reader.NullableString(15),
                OsUser = reader.NullableString(16),
                ServiceAccount = reader.NullableString(17),
                GitCommit = reader.NullableString(18),
                Image = reader.NullableString(19),
            });
        }

        return runs;
    }
}
