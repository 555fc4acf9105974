using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;
using Stepwise.Catalog;
using Stepwise.Execution;
using Stepwise.State;
using Stepwise.Versioning;

namespace Stepwise.PostgreSql.Internal;

/// <summary>One runner's connection to PostgreSQL: state in schema <c>stepwise</c>, the project lock on a second connection.</summary>
internal sealed partial class PostgresSession : IDatabaseSession
{
    private readonly NpgsqlConnectionStringBuilder _settings;
    private readonly SessionOptions _options;
    private readonly ILogger _logger;

    public PostgresSession(NpgsqlConnection connection, NpgsqlConnectionStringBuilder settings, SessionOptions options, ILogger<PostgresSession> logger)
    {
        Connection = connection;
        _settings = settings;
        _options = options;
        _logger = logger;
    }

    public NpgsqlConnection Connection { get; }

    public string Target => ConnectionSettings.Describe(_settings);

    public async Task<DatabaseState> ReadStateAsync(string project, CancellationToken cancellationToken)
    {
        // One round trip: the version and every applied or failed migration of the project.
        await using var batch = new NpgsqlBatch(Connection)
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
            var applied = new List<AppliedMigration>();
            var failed = new List<AppliedMigration>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var row = new AppliedMigration(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                    reader.GetInt64(4), reader.GetFieldValue<DateTimeOffset>(5), reader.GetBoolean(6));
                (reader.GetString(7) == "failed" ? failed : applied).Add(row);
            }

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
            var rows = await Connection.QueryAsync<(string Project, string? Version)>(new CommandDefinition(
                "SELECT project, current_version FROM stepwise.project_metadata ORDER BY project", cancellationToken: cancellationToken)).ConfigureAwait(false);
            return rows.ToDictionary(static r => r.Project, static r => r.Version, StringComparer.Ordinal);
        }
        catch (PostgresException ex) when (NotMigratedYet(ex))
        {
            return new Dictionary<string, string?>();
        }
    }

    // The stepwise schema or one of its tables does not exist: a database never migrated (or older than a read table).
    private static bool NotMigratedYet(PostgresException ex) =>
        ex.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName;

    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        var known = StepwiseSchema.Changes.Count;
        int? current;
        try
        {
            current = await Connection.ExecuteScalarAsync<int?>(new CommandDefinition(
                "SELECT max(version) FROM stepwise.schema_version", cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (NotMigratedYet(ex))
        {
            current = null;
        }

        if (current == known)
        {
            return;
        }

        await using var transaction = await Connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await Connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(@key)", new { key = StepwiseSchema.SetupLockKey }, transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        await Connection.ExecuteAsync(new CommandDefinition(
            """
            CREATE SCHEMA IF NOT EXISTS stepwise;
            CREATE TABLE IF NOT EXISTS stepwise.schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
            """, transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);

        // Re-read under the lock: another runner may have evolved the schema while this one waited.
        current = await Connection.ExecuteScalarAsync<int?>(new CommandDefinition(
            "SELECT max(version) FROM stepwise.schema_version", transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false) ?? 0;
        if (current > known)
        {
            throw new StepwiseException(FailureKind.InvalidState,
                $"The stepwise schema in {Target} is at version {current}, newer than this runner understands ({known}). Use a newer runner.");
        }

        for (var version = current.Value + 1; version <= known; version++)
        {
            await Connection.ExecuteAsync(new CommandDefinition(StepwiseSchema.Changes[version - 1], transaction: transaction, cancellationToken: cancellationToken))
                .ConfigureAwait(false);
            await Connection.ExecuteAsync(new CommandDefinition("INSERT INTO stepwise.schema_version (version) VALUES (@version)", new { version }, transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        if (current < known)
        {
            LogSchemaEvolved(current.Value, known);
        }
    }

    public async Task<IAsyncDisposable> AcquireLockAsync(string project, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var key = AdvisoryLockKey.For(project);
        // The lock connection only ever runs advisory-lock functions: loading the database's types for it would be a
        // second, useless catalog scan on every run.
        var lockSettings = new NpgsqlConnectionStringBuilder(_settings.ConnectionString) { ApplicationName = _settings.ApplicationName + " (lock)" };
        var source = new NpgsqlDataSourceBuilder(lockSettings.ConnectionString).ConfigureTypeLoading(static t => t.EnableTypeLoading(false)).Build();
        var connection = source.CreateConnection();
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);

            // Waiting is done by polling, never inside a blocking pg_advisory_lock() call: a statement waiting on the
            // server keeps a snapshot open, and CREATE INDEX CONCURRENTLY in the runner that holds the lock waits for every
            // such snapshot to end, so the two runners would wait on each other until the timeout.
            var deadline = DateTimeOffset.UtcNow + timeout;
            var pause = TimeSpan.FromMilliseconds(50);
            var announced = false;
            while (!await TryLockAsync(connection, key, cancellationToken).ConfigureAwait(false))
            {
                if (DateTimeOffset.UtcNow >= deadline)
                {
                    throw LockTimeout(project, timeout);
                }

                if (!announced)
                {
                    LogWaitingForLock(project, timeout.TotalSeconds);
                    announced = true;
                }

                var remaining = deadline - DateTimeOffset.UtcNow;
                await Task.Delay(remaining < pause ? (remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero) : pause, cancellationToken).ConfigureAwait(false);
                pause = TimeSpan.FromMilliseconds(Math.Min(1000, pause.TotalMilliseconds * 2));
            }

            return new ProjectLock(source, connection, key);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            await source.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<bool> TryLockAsync(NpgsqlConnection connection, long key, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT pg_try_advisory_lock(@key)", new { key }, cancellationToken: cancellationToken))
            .ConfigureAwait(false);

    public async Task<long> BeginRunAsync(RunRecord run, CancellationToken cancellationToken) =>
        await Connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO stepwise.audit_log (run_id, project, operation, from_version, target_version, environment, host, runner_version)
            VALUES (@RunId, @Project, @Operation, @FromVersion, @TargetVersion, @Environment, @Host, @RunnerVersion)
            RETURNING id
            """, run, cancellationToken: cancellationToken)).ConfigureAwait(false);

    public Task EndRunAsync(long auditId, RunOutcome outcome, string? message, CancellationToken cancellationToken) =>
        Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE stepwise.audit_log SET finished_at = now(), outcome = @outcome, message = @message WHERE id = @auditId",
            new { auditId, outcome = outcome == RunOutcome.Succeeded ? "succeeded" : "failed", message }, cancellationToken: cancellationToken));

    public async Task<IStepScope> BeginStepAsync(StepStart step, CancellationToken cancellationToken)
    {
        var transaction = step.Migration.Transactional
            ? await Connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false)
            : null;
        return new PostgresStepScope(this, step, transaction, ContextFor(step, transaction));
    }

    public async Task<IRehearsal> BeginRehearsalAsync(CancellationToken cancellationToken)
    {
        var transaction = await Connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        return new PostgresRehearsal(this, transaction);
    }

    internal PostgresContext ContextFor(StepStart step, NpgsqlTransaction? transaction) =>
        new(Connection, transaction, step.Run.Project, step.Run.Environment, step.Direction, step.Migration.Version.ToString());

    public async Task<IReadOnlyList<BackupRecord>> ListBackupsAsync(string project, CancellationToken cancellationToken)
    {
        try
        {
            var rows = await Connection.QueryAsync<BackupRow>(new CommandDefinition(
                """
                SELECT project, version, source, backup_schema AS BackupSchema, backup_table AS BackupTable, row_count AS RowCount,
                       migration_key AS MigrationKey, created_at AS CreatedAt
                FROM stepwise.backup WHERE project = @project ORDER BY created_at, source
                """, new { project }, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return rows.Select(static r => r.ToRecord()).ToList();
        }
        catch (PostgresException ex) when (NotMigratedYet(ex))
        {
            return [];
        }
    }

    public async Task<IReadOnlyList<BackupRecord>> DropBackupsAsync(string project, ProjectVersion? version, CancellationToken cancellationToken)
    {
        var existing = (await ListBackupsAsync(project, cancellationToken).ConfigureAwait(false))
            .Where(b => version is null || b.Version == version.ToString())
            .ToList();
        await using var transaction = await Connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var schema in existing.Select(static b => b.Backup[..b.Backup.IndexOf('.', StringComparison.Ordinal)]).Distinct(StringComparer.Ordinal))
        {
            await Connection.ExecuteAsync(new CommandDefinition($"DROP SCHEMA IF EXISTS {SqlIdentifier.Quote(schema)} CASCADE", transaction: transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        await Connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM stepwise.backup WHERE project = @project AND (@version::text IS NULL OR version = @version)",
            new { project, version = version?.ToString() }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return existing;
    }

    /// <summary>Copies the declared tables that exist, unless this version already has a copy of them.</summary>
    internal async Task<IReadOnlyList<BackupRecord>> BackupAsync(StepStart step, IReadOnlyList<string> objects, NpgsqlTransaction transaction,
        CancellationToken cancellationToken)
    {
        var project = step.Run.Project;
        var version = step.Migration.Version.ToString();
        var schema = BackupNames.Schema(project, version);
        var taken = new List<BackupRecord>();
        await Connection.ExecuteAsync(new CommandDefinition($"CREATE SCHEMA IF NOT EXISTS {SqlIdentifier.Quote(schema)}", transaction: transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        foreach (var declared in objects)
        {
            var resolved = await Connection.QuerySingleOrDefaultAsync<(string Schema, string Table)?>(new CommandDefinition(
                "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass(@name)",
                new { name = declared }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (resolved is not { } table)
            {
                continue; // Nothing to keep: the table does not exist yet.
            }

            var source = $"{table.Schema}.{table.Table}";
            var already = await Connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT EXISTS (SELECT 1 FROM stepwise.backup WHERE project = @project AND version = @version AND source = @source)",
                new { project, version, source }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (already)
            {
                continue; // The first copy of a version holds the state before the version: keep it.
            }

            var backupTable = BackupNames.Table(table.Schema, table.Table);
            var copy = SqlIdentifier.Quote(schema, backupTable);
            await Connection.ExecuteAsync(new CommandDefinition(
                $"CREATE TABLE {copy} AS TABLE {SqlIdentifier.Quote(table.Schema, table.Table)}",
                transaction: transaction, commandTimeout: 0, cancellationToken: cancellationToken)).ConfigureAwait(false);
            var rows = await Connection.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT count(*) FROM {copy}", transaction: transaction,
                commandTimeout: 0, cancellationToken: cancellationToken)).ConfigureAwait(false);
            await Connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO stepwise.backup (project, version, source, declared, backup_schema, backup_table, row_count, migration_key, run_id)
                VALUES (@project, @version, @source, @declared, @schema, @backupTable, @rows, @key, @runId)
                """,
                new { project, version, source, declared, schema, backupTable, rows, key = step.Migration.Key, runId = step.Run.RunId },
                transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            taken.Add(new BackupRecord(project, version, source, $"{schema}.{backupTable}", rows, step.Migration.Key, DateTimeOffset.UtcNow));
        }

        return taken;
    }

    public Task RecordFailureAsync(StepRecord record, CancellationToken cancellationToken) => RecordStepAloneAsync(record, cancellationToken);

    /// <summary>Records a step in a transaction of its own: a failure, or a step whose statements committed as they went.</summary>
    internal async Task RecordStepAloneAsync(StepRecord record, CancellationToken cancellationToken)
    {
        await using var transaction = await Connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await RecordStepAndCommitAsync(record, transaction, cancellationToken).ConfigureAwait(false);
    }

    public Task SetVersionAsync(string project, ProjectVersion version, CancellationToken cancellationToken) =>
        Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO stepwise.project_metadata AS m (project, current_version) VALUES (@project, @version)
            ON CONFLICT (project) DO UPDATE SET current_version = EXCLUDED.current_version, updated_at = now()
            """, new { project, version = version.ToString() }, cancellationToken: cancellationToken));

    public async Task<IReadOnlyList<HistoryEntry>> ReadHistoryAsync(string project, int limit, CancellationToken cancellationToken)
    {
        try
        {
            var rows = await Connection.QueryAsync<HistoryRow>(new CommandDefinition(
                """
                SELECT id, run_id AS RunId, version, migration_key AS Key, name, direction, status, checksum, transactional,
                       started_at AS StartedAt, duration_ms AS DurationMs, environment, host, database_user AS DatabaseUser,
                       runner_version AS RunnerVersion, error
                FROM stepwise.migration_history WHERE project = @project ORDER BY id DESC LIMIT @limit
                """, new { project, limit }, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return rows.Select(static r => r.ToEntry()).ToList();
        }
        catch (PostgresException ex) when (NotMigratedYet(ex))
        {
            return [];
        }
    }

    public async Task RepairAsync(RunRecord run, IReadOnlyList<RepairAction> actions, CancellationToken cancellationToken)
    {
        await using var transaction = await Connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var action in actions)
        {
            var change = action.Kind switch
            {
                RepairKind.AlignChecksum =>
                    "UPDATE stepwise.applied_migration SET checksum = @Checksum WHERE project = @Project AND migration_key = @Key AND status = 'applied'",
                RepairKind.ClearFailure =>
                    "DELETE FROM stepwise.applied_migration WHERE project = @Project AND migration_key = @Key AND status = 'failed'",
                _ => "DELETE FROM stepwise.applied_migration WHERE project = @Project AND migration_key = @Key AND status = 'applied'",
            };
            var note = action.Kind switch
            {
                RepairKind.AlignChecksum => "repair: accepted the current code's checksum",
                RepairKind.ClearFailure => "repair: cleared a failed non-transactional step; the next run applies it again",
                _ => "repair: forgot a migration that is no longer in the code",
            };
            await Connection.ExecuteAsync(new CommandDefinition(change,
                new { run.Project, action.Key, action.Checksum }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            await Connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO stepwise.migration_history (run_id, project, version, migration_key, name, checksum, direction, status, transactional,
                    started_at, finished_at, duration_ms, environment, host, runner_version, error)
                VALUES (@RunId, @Project, @Version, @Key, @Name, @Checksum, 'repair', 'repaired', true, now(), now(), 0, @Environment, @Host, @RunnerVersion, @Note)
                """,
                new { run.RunId, run.Project, action.Version, action.Key, action.Name, Checksum = action.Checksum ?? "", run.Environment, run.Host, run.RunnerVersion, Note = note },
                transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes a step's history row, its applied state and the project version, and commits the transaction, in one
    /// round trip: a separate COMMIT was a fifth of a step's round trips. Npgsql sees the COMMIT and marks the transaction
    /// completed. Should any statement fail, the server skips the rest of the batch, COMMIT included, and the caller
    /// rolls back as before.
    /// </summary>
    internal async Task RecordStepAndCommitAsync(StepRecord record, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var step = record.Start;
        var migration = step.Migration;
        var succeeded = record.Status == StepStatus.Succeeded;
        var direction = step.Direction == MigrationDirection.Up ? "up" : "down";

        // A successful up marks the migration applied; a successful down forgets it; a failure outside a transaction
        // marks it failed so that the next run stops until it is rolled back or repaired.
        var stateChange = (succeeded, step.Direction, migration.Transactional) switch
        {
            (true, MigrationDirection.Up, _) => UpsertApplied("applied"),
            (true, MigrationDirection.Down, _) => "DELETE FROM stepwise.applied_migration WHERE project = @Project AND migration_key = @Key",
            (false, MigrationDirection.Up, false) => UpsertApplied("failed"),
            _ => null,
        };

        var sql =
            $"""
            WITH history AS (
                INSERT INTO stepwise.migration_history (run_id, project, version, path, from_version, phase, "order", migration_key, name, description,
                    checksum, direction, status, transactional, started_at, finished_at, duration_ms, environment, host, runner_version, error, backups)
                VALUES (@RunId, @Project, @Version, @Path, @FromVersion, @Phase, @Order, @Key, @Name, @Description,
                    @Checksum, @Direction, @Status, @Transactional, @StartedAt, @FinishedAt, @DurationMs, @Environment, @Host, @RunnerVersion, @Error, @Backups)
                RETURNING id
            )
            {stateChange ?? "SELECT id FROM history"};
            {(succeeded ? MetadataUpsert : "SELECT 1")};
            COMMIT;
            """;

        await Connection.ExecuteAsync(new CommandDefinition(sql, new
        {
            step.Run.RunId,
            step.Run.Project,
            Version = migration.Version.ToString(),
            Path = MigrationKey.PathName(migration.Path),
            FromVersion = migration.From?.ToString(),
            Phase = MigrationKey.PhaseName(migration.Phase),
            migration.Order,
            migration.Key,
            migration.Name,
            migration.Description,
            migration.Checksum,
            Direction = direction,
            Status = succeeded ? "succeeded" : "failed",
            migration.Transactional,
            record.StartedAt,
            FinishedAt = record.StartedAt + record.Duration,
            DurationMs = record.Duration.TotalMilliseconds,
            step.Run.Environment,
            step.Run.Host,
            step.Run.RunnerVersion,
            record.Error,
            Backups = record.Backups is { Count: > 0 } backups ? backups.Select(static b => $"{b.Source} -> {b.Backup} ({b.Rows} rows)").ToArray() : null,
            VersionAfter = record.VersionAfter?.ToString(),
        }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync().ConfigureAwait(false);

    private static string UpsertApplied(string status) =>
        $"""
        INSERT INTO stepwise.applied_migration (project, migration_key, version, name, checksum, status, transactional, sequence, applied_at)
        SELECT @Project, @Key, @Version, @Name, @Checksum, '{status}', @Transactional, history.id, @FinishedAt FROM history
        ON CONFLICT (project, migration_key) DO UPDATE SET
            version = EXCLUDED.version, name = EXCLUDED.name, checksum = EXCLUDED.checksum, status = EXCLUDED.status,
            transactional = EXCLUDED.transactional, sequence = EXCLUDED.sequence, applied_at = EXCLUDED.applied_at
        """;

    // The row exists from the first step of an install on (version still null), so an interrupted install is visible.
    private const string MetadataUpsert =
        """
        INSERT INTO stepwise.project_metadata AS m (project, current_version, last_run_id) VALUES (@Project, @VersionAfter, @RunId)
        ON CONFLICT (project) DO UPDATE SET
            current_version = COALESCE(EXCLUDED.current_version, m.current_version),
            updated_at = CASE WHEN EXCLUDED.current_version IS NULL THEN m.updated_at ELSE now() END,
            last_run_id = EXCLUDED.last_run_id
        """;

    private StepwiseException LockTimeout(string project, TimeSpan timeout) =>
        new(FailureKind.LockTimeout,
            $"Another runner has held the lock of {project} in {Target} for more than {timeout.TotalSeconds:0} s. " +
            "Let it finish and retry, or raise --lock-timeout. (A runner that died releases its lock when its connection closes.)");

    [LoggerMessage(Level = LogLevel.Information, Message = "Evolved the stepwise schema from version {From} to {To}")]
    private partial void LogSchemaEvolved(int from, int to);

    [LoggerMessage(Level = LogLevel.Information, Message = "Another runner is migrating {Project}; waiting up to {TimeoutSeconds:0} s for its lock")]
    private partial void LogWaitingForLock(string project, double timeoutSeconds);

    private sealed class ProjectLock(NpgsqlDataSource source, NpgsqlConnection connection, long key) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await connection.ExecuteAsync("SELECT pg_advisory_unlock(@key)", new { key }).ConfigureAwait(false);
            }
            catch (NpgsqlException)
            {
                // Closing the connection releases the lock as well.
            }

            await connection.DisposeAsync().ConfigureAwait(false);
            await source.DisposeAsync().ConfigureAwait(false);
        }
    }

    private sealed record BackupRow(string Project, string Version, string Source, string BackupSchema, string BackupTable, long RowCount,
        string MigrationKey, DateTime CreatedAt)
    {
        public BackupRecord ToRecord() => new(Project, Version, Source, $"{BackupSchema}.{BackupTable}", RowCount, MigrationKey,
            new DateTimeOffset(DateTime.SpecifyKind(CreatedAt, DateTimeKind.Utc)));
    }

    private sealed record HistoryRow(long Id, Guid RunId, string Version, string Key, string Name, string Direction, string Status, string Checksum,
        bool Transactional, DateTime StartedAt, double DurationMs, string? Environment, string Host, string DatabaseUser, string RunnerVersion, string? Error)
    {
        public HistoryEntry ToEntry() => new(Id, RunId, Version, Key, Name, Direction, Status, Checksum, Transactional,
            new DateTimeOffset(DateTime.SpecifyKind(StartedAt, DateTimeKind.Utc)), DurationMs, Environment, Host, DatabaseUser, RunnerVersion, Error);
    }
}
