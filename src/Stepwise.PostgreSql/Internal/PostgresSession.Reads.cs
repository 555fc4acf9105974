using Npgsql;
using Stepwise.Execution;
using Stepwise.State;

namespace Stepwise.PostgreSql.Internal;

// What the state connection reads: the project's state, the projects the database knows, the ledger's loose ends and the
// history. A database never migrated reads as empty: the read-only commands create nothing.
internal sealed partial class PostgresSession
{
    public async Task<DatabaseState> ReadStateAsync(string project, CancellationToken cancellationToken)
    {
        // One round trip: the version and every applied or failed migration of the project.
        await using var batch = new NpgsqlBatch(_state)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("SELECT current_version, updated_at FROM stepwise.project_metadata WHERE project = $1") { Parameters = { new() { Value = project } } },
                new NpgsqlBatchCommand(
                    """
                    SELECT migration_key, version, name, checksum, sequence, applied_at, transactional, status
                    FROM stepwise.applied_migration WHERE project = $1 ORDER BY sequence
                    """) { Parameters = { new() { Value = project } } },
                new NpgsqlBatchCommand("SELECT max(version) FROM stepwise.schema_version"),
            },
        };

        try
        {
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            string? version = null;
            DateTimeOffset? updatedAt = null;
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                version = reader.IsDBNull(0) ? null : reader.GetString(0);
                updatedAt = reader.GetFieldValue<DateTimeOffset>(1);
            }

            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            var entries = new List<(AppliedMigration, string)>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                entries.Add((new AppliedMigration(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                    reader.GetInt64(4), reader.GetFieldValue<DateTimeOffset>(5), reader.GetBoolean(6)), reader.GetString(7)));
            }

            var (applied, failed, interrupted) = LedgerEntries.Sort(entries);
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            var schemaVersion = await reader.ReadAsync(cancellationToken).ConfigureAwait(false) && !reader.IsDBNull(0) ? reader.GetInt32(0) : 0;

            return new DatabaseState
            {
                Project = project,
                Initialized = true,
                SchemaCurrent = schemaVersion == StepwiseSchema.Changes.Count,
                CurrentVersion = version,
                UpdatedAt = updatedAt,
                Applied = applied,
                Failed = failed,
                Interrupted = interrupted,
            };
        }
        catch (PostgresException ex) when (NotMigratedYet(ex))
        {
            // Never migrated by Stepwise: read-only commands must not create anything, so this reads as empty.
            return DatabaseState.Empty(project);
        }
    }

    public async Task<IReadOnlyDictionary<string, string?>> ListProjectsAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var command = _state.Command("SELECT project, current_version FROM stepwise.project_metadata ORDER BY project", null, []);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var projects = new Dictionary<string, string?>(StringComparer.Ordinal);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                projects[reader.GetString(0)] = reader.NullableString(1);
            }

            return projects;
        }
        catch (PostgresException ex) when (NotMigratedYet(ex))
        {
            return new Dictionary<string, string?>();
        }
    }

    // The stepwise schema or one of its tables does not exist: a database never migrated (or older than a read table).
    internal static bool NotMigratedYet(PostgresException ex) =>
        ex.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName;

    public async Task<IReadOnlyList<AppliedMigration>> ReadUnrecordedAsync(string project, CancellationToken cancellationToken)
    {
        try
        {
            return await PostgresLedger.ReadUnrecordedAsync(_state, project, cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (NotMigratedYet(ex) || ex.SqlState == PostgresErrorCodes.UndefinedColumn)
        {
            // Never migrated, or a schema older than the column the ledger reads: the read-only commands change nothing.
            return [];
        }
    }

    public async Task<IReadOnlyList<HistoryEntry>> ReadHistoryAsync(string project, int limit, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = _state.Command(
                """
                SELECT id, run_id, version, migration_key, name, direction, status, checksum, transactional,
                       started_at, duration_ms, environment, host, database_user, runner_version, error, to_jsonb(h) ->> 'commands'
                FROM stepwise.migration_history h WHERE project = @project ORDER BY id DESC LIMIT @limit
                """, null, [("project", project), ("limit", limit)]);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var entries = new List<HistoryEntry>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                entries.Add(new HistoryEntry(reader.GetInt64(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    reader.GetString(5), reader.GetString(6), reader.GetString(7), reader.GetBoolean(8), reader.GetFieldValue<DateTimeOffset>(9),
                    reader.GetDouble(10), reader.NullableString(11), reader.GetString(12), reader.GetString(13), reader.GetString(14),
                    reader.NullableString(15)) { Commands = reader.NullableString(16) });
            }

            return entries;
        }
        catch (PostgresException ex) when (NotMigratedYet(ex))
        {
            return [];
        }
    }
}
