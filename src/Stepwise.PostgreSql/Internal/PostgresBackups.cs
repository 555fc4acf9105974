using Npgsql;
using Stepwise.Execution;
using Stepwise.Versioning;

namespace Stepwise.PostgreSql.Internal;

/// <summary>
/// Policy <c>backup_before_upgrade</c> on PostgreSQL: copies of the tables a step declares it changes, in schema
/// <c>stepwise_backup_{project}_{version}</c>, recorded in <c>stepwise.backup</c>.
/// </summary>
internal static class PostgresBackups
{
    public static async Task<IReadOnlyList<BackupRecord>> ListAsync(NpgsqlConnection state, string project, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = state.Command(
                """
                SELECT project, version, source, backup_schema || '.' || backup_table, row_count, migration_key, created_at
                FROM stepwise.backup WHERE project = @project ORDER BY created_at, source
                """, null, [("project", project)]);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var backups = new List<BackupRecord>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                backups.Add(new BackupRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4),
                    reader.GetString(5), reader.GetFieldValue<DateTimeOffset>(6)));
            }

            return backups;
        }
        catch (PostgresException ex) when (PostgresSession.NotMigratedYet(ex))
        {
            return [];
        }
    }

    public static async Task<IReadOnlyList<BackupRecord>> DropAsync(NpgsqlConnection state, NpgsqlConnection work, string project, ProjectVersion? version,
        CancellationToken cancellationToken)
    {
        var existing = (await ListAsync(state, project, cancellationToken).ConfigureAwait(false))
            .Where(b => version is null || b.Version == version.ToString())
            .ToList();
        await using var transaction = await work.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var schema in existing.Select(static b => b.Backup[..b.Backup.IndexOf('.', StringComparison.Ordinal)]).Distinct(StringComparer.Ordinal))
        {
            await work.RunAsync($"DROP SCHEMA IF EXISTS {SqlIdentifier.Quote(schema)} CASCADE", transaction, cancellationToken).ConfigureAwait(false);
        }

        await work.RunAsync("DELETE FROM stepwise.backup WHERE project = @project AND (@version::text IS NULL OR version = @version)",
            transaction, cancellationToken, ("project", project), ("version", version?.ToString())).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return existing;
    }

    /// <summary>Copies the declared tables that exist, unless this version already has a copy of them.</summary>
    public static async Task<IReadOnlyList<BackupRecord>> TakeAsync(NpgsqlConnection connection, StepStart step, IReadOnlyList<string> objects,
        NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var project = step.Run.Project;
        var version = step.Migration.Version.ToString();
        var schema = BackupNames.Schema(project, version);
        var taken = new List<BackupRecord>();
        await connection.RunAsync($"CREATE SCHEMA IF NOT EXISTS {SqlIdentifier.Quote(schema)}", transaction, cancellationToken).ConfigureAwait(false);
        foreach (var declared in objects)
        {
            var resolved = await connection.ScalarAsync<string[]>(
                "SELECT ARRAY[n.nspname::text, c.relname::text] FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass(@name)",
                transaction, cancellationToken, ("name", declared)).ConfigureAwait(false);
            if (resolved is not [var tableSchema, var tableName])
            {
                continue; // Nothing to keep: the table does not exist yet.
            }

            var source = $"{tableSchema}.{tableName}";
            var already = await connection.ScalarAsync<bool>(
                "SELECT EXISTS (SELECT 1 FROM stepwise.backup WHERE project = @project AND version = @version AND source = @source)",
                transaction, cancellationToken, ("project", project), ("version", version), ("source", source)).ConfigureAwait(false);
            if (already)
            {
                continue; // The first copy of a version holds the state before the version: keep it.
            }

            var backupTable = BackupNames.Table(tableSchema, tableName);
            var copy = SqlIdentifier.Quote(schema, backupTable);
            // No time limit: copying a large table takes as long as it takes.
            await using (var command = connection.Command($"CREATE TABLE {copy} AS TABLE {SqlIdentifier.Quote(tableSchema, tableName)}", transaction, [],
                timeoutSeconds: 0))
            {
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            long rows;
            await using (var command = connection.Command($"SELECT count(*) FROM {copy}", transaction, [], timeoutSeconds: 0))
            {
                rows = (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            }

            await connection.RunAsync(
                """
                INSERT INTO stepwise.backup (project, version, source, declared, backup_schema, backup_table, row_count, migration_key, run_id)
                VALUES (@project, @version, @source, @declared, @schema, @backupTable, @rows, @key, @runId)
                """,
                transaction, cancellationToken, ("project", project), ("version", version), ("source", source), ("declared", declared), ("schema", schema),
                ("backupTable", backupTable), ("rows", rows), ("key", step.Migration.Key), ("runId", step.Run.RunId)).ConfigureAwait(false);
            taken.Add(new BackupRecord(project, version, source, $"{schema}.{backupTable}", rows, step.Migration.Key, DateTimeOffset.UtcNow));
        }

        return taken;
    }
}
