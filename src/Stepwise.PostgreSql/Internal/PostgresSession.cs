using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Npgsql;
using Stepwise.Catalog;
using Stepwise.Execution;
using Stepwise.State;
using Stepwise.Versioning;

namespace Stepwise.PostgreSql.Internal;

/// <summary>
/// One runner's connections to PostgreSQL, state in schema <c>stepwise</c>. The first connection reads the state, sets up
/// the runner's schema, writes the run's audit row and then holds the project lock; it loads none of the database's
/// types. The work connection, which migrations use and which loads the types they may need, is opened only when there
/// is work (a run that finds nothing to do never pays for it), and in the background while the first connection
/// prepares the run.
/// </summary>
internal sealed partial class PostgresSession : IDatabaseSession, IRehearsals, IBackups
{
    private readonly NpgsqlDataSource _stateSource;
    private readonly NpgsqlConnection _state;
    private readonly NpgsqlConnectionStringBuilder _settings;
    private readonly SessionOptions _options;
    private readonly ILogger _logger;
    private NpgsqlConnection? _work;
    private Task<NpgsqlConnection>? _opening;

    private PostgresSession(NpgsqlDataSource stateSource, NpgsqlConnection state, NpgsqlConnectionStringBuilder settings, SessionOptions options,
        ILogger<PostgresSession> logger)
    {
        _stateSource = stateSource;
        _state = state;
        _settings = settings;
        _options = options;
        _logger = logger;
    }

    /// <summary>The work connection: steps, bookkeeping, schema set-up. Open once any of them has started.</summary>
    public NpgsqlConnection Connection => _work ?? throw new InvalidOperationException("The work connection is opened by the first method that changes something.");

    public static async Task<PostgresSession> OpenAsync(NpgsqlConnectionStringBuilder settings, SessionOptions options, ILogger<PostgresSession> logger,
        CancellationToken cancellationToken)
    {
        // Named for its longer role: while a run changes something, this connection holds the project's lock.
        var stateSettings = new NpgsqlConnectionStringBuilder(settings.ConnectionString) { ApplicationName = settings.ApplicationName + " (lock)" };
        var source = new NpgsqlDataSourceBuilder(stateSettings.ConnectionString).ConfigureTypeLoading(static t => t.EnableTypeLoading(false)).Build();
        var connection = source.CreateConnection();
        try
        {
            await OpenOrExplainAsync(connection, settings, options.Endpoint, cancellationToken).ConfigureAwait(false);
            var session = new PostgresSession(source, connection, settings, options, logger);
            session.LogConnected(session.Target, settings.Username ?? "(default user)", connection.PostgreSqlVersion.ToString());
            return session;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            await source.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    // A failed open becomes a message that says what to check, without the connection string.
    private static async Task OpenOrExplainAsync(NpgsqlConnection connection, NpgsqlConnectionStringBuilder settings, DatabaseEndpoint endpoint,
        CancellationToken cancellationToken)
    {
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw ConnectionSettings.Explain(ex, settings, endpoint);
        }
    }

    private async Task<NpgsqlConnection> OpenWorkAsync(CancellationToken cancellationToken)
    {
        if (_work is not null)
        {
            return _work;
        }

        StartOpeningWork(cancellationToken);
        return _work = await _opening!.ConfigureAwait(false);
    }

    // The work connection's open (its type loading above all) takes several round trips: started as soon as work is
    // certain, it runs while the first connection sets up the schema, reads the state again and writes the audit row.
    private void StartOpeningWork(CancellationToken cancellationToken) => _opening ??= OpenWorkConnectionAsync(cancellationToken);

    private async Task<NpgsqlConnection> OpenWorkConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(_settings.ConnectionString);
        try
        {
            await OpenOrExplainAsync(connection, _settings, _options.Endpoint, cancellationToken).ConfigureAwait(false);

            // PostgreSQL's default search path starts with "$user": for a user named like the runner's schema, every
            // unqualified table a migration creates would land among the runner's own tables.
            if (string.Equals(_settings.Username, StepwiseSchema.Name, StringComparison.Ordinal))
            {
                await connection.RunAsync(
                    "SELECT set_config('search_path', array_to_string(array_remove(string_to_array(current_setting('search_path'), ', '), '\"$user\"'), ', '), false)",
                    null, cancellationToken).ConfigureAwait(false);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public string Target => ConnectionSettings.Describe(_settings);

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
            var applied = new List<AppliedMigration>();
            var failed = new List<AppliedMigration>();
            var interrupted = new List<InterruptedMigration>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var row = new AppliedMigration(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                    reader.GetInt64(4), reader.GetFieldValue<DateTimeOffset>(5), reader.GetBoolean(6));
                switch (reader.GetString(7))
                {
                    case "failed":
                        failed.Add(row);
                        break;
                    case "running":
                        interrupted.Add(new InterruptedMigration(row, MigrationDirection.Up));
                        break;
                    case "reverting":
                        interrupted.Add(new InterruptedMigration(row, MigrationDirection.Down));
                        break;
                    default:
                        applied.Add(row);
                        break;
                }
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
    private static bool NotMigratedYet(PostgresException ex) =>
        ex.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName;

    public string StoreName => "stepwise schema";

    public int StoreSteps => StepwiseSchema.Changes.Count;

    public async Task<int> ReadStoreVersionAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _state.ScalarAsync<int?>("SELECT max(version) FROM stepwise.schema_version", null, cancellationToken).ConfigureAwait(false) ?? 0;
        }
        catch (PostgresException ex) when (NotMigratedYet(ex))
        {
            return 0;
        }
    }

    public async Task<IStoreEvolution> BeginStoreEvolutionAsync(CancellationToken cancellationToken)
    {
        // Evolving the schema means work follows: the work connection opens meanwhile.
        StartOpeningWork(cancellationToken);
        return await PostgresStoreEvolution.BeginAsync(_state, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IAsyncDisposable?> TryAcquireLockAsync(string project, CancellationToken cancellationToken)
    {
        var key = AdvisoryLockKey.For(project);
        if (!await _state.ScalarAsync<bool>("SELECT pg_try_advisory_lock(@key)", null, cancellationToken, ("key", key)).ConfigureAwait(false))
        {
            return null;
        }

        StartOpeningWork(cancellationToken);
        return new ProjectLock(_state, key);
    }

    public Task<string?> DescribeLockHolderAsync(string project) => LockHolders.DescribeAsync(_state, AdvisoryLockKey.For(project));

    public string DeadHolderRelease => "A runner that died releases its lock when its connection closes.";

    // Under the project's lock no other run of the project is alive: an entry still 'running' belongs to a runner that was
    // killed or lost its connection. It is closed in the same statement that opens this run's entry.
    public async Task<long> BeginRunAsync(RunRecord run, CancellationToken cancellationToken)
    {
        await using var command = _state.Command(
            """
            WITH closed AS (
                UPDATE stepwise.audit_log SET outcome = 'interrupted', finished_at = now(),
                    message = 'the runner stopped before the run finished (killed, or its connection lost); closed by run ' || @RunId::text
                WHERE project = @Project AND outcome = 'running'
                RETURNING id
            )
            INSERT INTO stepwise.audit_log (run_id, project, operation, from_version, target_version, environment, host, runner_version)
            VALUES (@RunId, @Project, @Operation, @FromVersion, @TargetVersion, @Environment, @Host, @RunnerVersion)
            RETURNING id, (SELECT count(*) FROM closed)
            """, null, [("RunId", run.RunId), ("Project", run.Project), ("Operation", run.Operation), ("FromVersion", run.FromVersion),
            ("TargetVersion", run.TargetVersion), ("Environment", run.Environment), ("Host", run.Host), ("RunnerVersion", run.RunnerVersion)]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var (id, closed) = (reader.GetInt64(0), reader.GetInt64(1));
        if (closed > 0)
        {
            LogClosedInterruptedRuns(run.Project, closed);
        }

        return id;
    }

    public async Task EndRunAsync(long auditId, RunOutcome outcome, string? message, CancellationToken cancellationToken) =>
        await (await OpenWorkAsync(cancellationToken).ConfigureAwait(false)).RunAsync("UPDATE stepwise.audit_log SET finished_at = now(), outcome = @outcome, message = @message WHERE id = @auditId", null, cancellationToken,
            ("auditId", auditId), ("outcome", outcome == RunOutcome.Succeeded ? "succeeded" : "failed"), ("message", message)).ConfigureAwait(false);

    public async Task<IStepScope> BeginStepAsync(StepStart step, CancellationToken cancellationToken)
    {
        await OpenWorkAsync(cancellationToken).ConfigureAwait(false);
        if (LedgerRules.AtStart(step.Migration.Transactional, step.Direction) is { } mark)
        {
            await PostgresLedger.MarkStartedAsync(Connection, step, mark, cancellationToken).ConfigureAwait(false);
        }

        var transaction = step.Migration.Transactional
            ? await Connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false)
            : null;
        return new PostgresStepScope(this, step, transaction, ContextFor(step, transaction));
    }

    public async Task<IRehearsal> BeginRehearsalAsync(CancellationToken cancellationToken)
    {
        await OpenWorkAsync(cancellationToken).ConfigureAwait(false);
        var transaction = await Connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        return new PostgresRehearsal(this, transaction);
    }

    internal PostgresContext ContextFor(StepStart step, NpgsqlTransaction? transaction) =>
        new(Connection, transaction, step.Run.Project, step.Run.Environment, step.Direction, step.Migration.Version.ToString());

    public async Task<IReadOnlyList<BackupRecord>> ListBackupsAsync(string project, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = _state.Command(
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
        await OpenWorkAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await Connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var schema in existing.Select(static b => b.Backup[..b.Backup.IndexOf('.', StringComparison.Ordinal)]).Distinct(StringComparer.Ordinal))
        {
            await Connection.RunAsync($"DROP SCHEMA IF EXISTS {SqlIdentifier.Quote(schema)} CASCADE", transaction, cancellationToken).ConfigureAwait(false);
        }

        await Connection.RunAsync("DELETE FROM stepwise.backup WHERE project = @project AND (@version::text IS NULL OR version = @version)",
            transaction, cancellationToken, ("project", project), ("version", version?.ToString())).ConfigureAwait(false);
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
        await Connection.RunAsync($"CREATE SCHEMA IF NOT EXISTS {SqlIdentifier.Quote(schema)}", transaction, cancellationToken).ConfigureAwait(false);
        foreach (var declared in objects)
        {
            var resolved = await Connection.ScalarAsync<string[]>(
                "SELECT ARRAY[n.nspname::text, c.relname::text] FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass(@name)",
                transaction, cancellationToken, ("name", declared)).ConfigureAwait(false);
            if (resolved is not [var tableSchema, var tableName])
            {
                continue; // Nothing to keep: the table does not exist yet.
            }

            var source = $"{tableSchema}.{tableName}";
            var already = await Connection.ScalarAsync<bool>(
                "SELECT EXISTS (SELECT 1 FROM stepwise.backup WHERE project = @project AND version = @version AND source = @source)",
                transaction, cancellationToken, ("project", project), ("version", version), ("source", source)).ConfigureAwait(false);
            if (already)
            {
                continue; // The first copy of a version holds the state before the version: keep it.
            }

            var backupTable = BackupNames.Table(tableSchema, tableName);
            var copy = SqlIdentifier.Quote(schema, backupTable);
            // No time limit: copying a large table takes as long as it takes.
            await using (var command = Connection.Command($"CREATE TABLE {copy} AS TABLE {SqlIdentifier.Quote(tableSchema, tableName)}", transaction, [],
                timeoutSeconds: 0))
            {
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            long rows;
            await using (var command = Connection.Command($"SELECT count(*) FROM {copy}", transaction, [], timeoutSeconds: 0))
            {
                rows = (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            }

            await Connection.RunAsync(
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

    public Task RecordFailureAsync(StepRecord record, CancellationToken cancellationToken) => RecordStepAloneAsync(record, cancellationToken);

    /// <summary>Records a step in a transaction of its own: a failure, or a step whose statements committed as they went.</summary>
    internal async Task RecordStepAloneAsync(StepRecord record, CancellationToken cancellationToken)
    {
        await OpenWorkAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await Connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await RecordStepAndCommitAsync(record, transaction, waitForFlush: true, cancellationToken).ConfigureAwait(false);
    }

    public async Task SetVersionAsync(string project, ProjectVersion? version, CancellationToken cancellationToken) =>
        await (await OpenWorkAsync(cancellationToken).ConfigureAwait(false)).RunAsync(version is null
            ? "DELETE FROM stepwise.project_metadata WHERE project = @project"
            : """
              INSERT INTO stepwise.project_metadata AS m (project, current_version) VALUES (@project, @version)
              ON CONFLICT (project) DO UPDATE SET current_version = EXCLUDED.current_version, updated_at = now()
              """, null, cancellationToken, ("project", project), ("version", version?.ToString())).ConfigureAwait(false);

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

    public async Task<IReadOnlyList<string>> FindLeftoversAsync(CancellationToken cancellationToken) =>
        await Leftovers.FindAsync(_state, cancellationToken).ConfigureAwait(false);

    public StepwiseException? Explain(Exception exception) => PostgresFailures.Explain(exception, _settings, _state, _work);

    public async Task<IReadOnlyList<HistoryEntry>> ReadHistoryAsync(string project, int limit, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = _state.Command(
                """
                SELECT id, run_id, version, migration_key, name, direction, status, checksum, transactional,
                       started_at, duration_ms, environment, host, database_user, runner_version, error
                FROM stepwise.migration_history WHERE project = @project ORDER BY id DESC LIMIT @limit
                """, null, [("project", project), ("limit", limit)]);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var entries = new List<HistoryEntry>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                entries.Add(new HistoryEntry(reader.GetInt64(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    reader.GetString(5), reader.GetString(6), reader.GetString(7), reader.GetBoolean(8), reader.GetFieldValue<DateTimeOffset>(9),
                    reader.GetDouble(10), reader.NullableString(11), reader.GetString(12), reader.GetString(13), reader.GetString(14),
                    reader.NullableString(15)));
            }

            return entries;
        }
        catch (PostgresException ex) when (NotMigratedYet(ex))
        {
            return [];
        }
    }

    public async Task RepairAsync(RunRecord run, IReadOnlyList<RepairAction> actions, CancellationToken cancellationToken)
    {
        if (actions.Count > 0)
        {
            await PostgresLedger.RepairAsync(await OpenWorkAsync(cancellationToken).ConfigureAwait(false), run, actions, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Writes a step's history row, its applied state and the project version, and commits the transaction, in one
    /// round trip: a separate COMMIT was a fifth of a step's round trips. Npgsql sees the COMMIT and marks the transaction
    /// completed. Should any statement fail, the server skips the rest of the batch, COMMIT included, and the caller
    /// rolls back as before.
    /// </summary>
    /// <param name="record">The step and how it went.</param>
    /// <param name="transaction">The step's transaction, committed here.</param>
    /// <param name="waitForFlush">
    /// <c>false</c> for a transactional step: its commit returns before the server has flushed it to disk. The run's
    /// last write (<see cref="EndRunAsync"/>) waits for its own flush, and the log is written in order, so that flush
    /// makes every earlier commit of the run durable too, before the runner reports anything. Should the server
    /// crash first, a step's changes and its bookkeeping are lost together, and the next run simply applies it again.
    /// Work outside a transaction (a non-transactional step, a failure) is recorded durably at once.
    /// </param>
    /// <param name="cancellationToken">Cancels the batch.</param>
    /// <param name="checks">
    /// Checks held back from the step's closing phase. They go first in the batch: one that fails stops it before the
    /// commit and surfaces as the <see cref="MigrationCheckException"/> it would have been at once.
    /// </param>
    internal async Task RecordStepAndCommitAsync(StepRecord record, NpgsqlTransaction transaction, bool waitForFlush, CancellationToken cancellationToken,
        DeferredChecks? checks = null)
    {
        var step = record.Start;
        var migration = step.Migration;
        var status = record.Status switch { StepStatus.Succeeded => "succeeded", StepStatus.Failed => "failed", _ => "interrupted" };
        var direction = step.Direction == MigrationDirection.Up ? "up" : "down";

        var taken = checks is { IsEmpty: false } ? checks.Take() : DeferredChecks.Taken.None;
        var bookkeeping = BookkeepingSql.GetOrAdd((record.Status, step.Direction, migration.Transactional, waitForFlush), BuildBookkeepingSql);
        var sql = taken.Sql.Length == 0 ? bookkeeping : taken.Sql + bookkeeping;
        taken.Parameters.AddRange(
        [
            ("RunId", step.Run.RunId),
            ("Project", step.Run.Project),
            ("Version", migration.Version.ToString()),
            ("Path", MigrationKey.PathName(migration.Path)),
            ("FromVersion", migration.From?.ToString()),
            ("Phase", MigrationKey.PhaseName(migration.Phase)),
            ("Order", migration.Order),
            ("Key", migration.Key),
            ("Name", migration.Name),
            ("Description", migration.Description),
            ("Checksum", migration.Checksum),
            ("Direction", direction),
            ("Status", status),
            ("Transactional", migration.Transactional),
            ("StartedAt", record.StartedAt),
            ("FinishedAt", record.StartedAt + record.Duration),
            ("DurationMs", record.Duration.TotalMilliseconds),
            ("Environment", step.Run.Environment),
            ("Host", step.Run.Host),
            ("RunnerVersion", step.Run.RunnerVersion),
            ("Error", record.Error),
            ("Backups", record.Backups is { Count: > 0 } backups ? backups.Select(static b => $"{b.Source} -> {b.Backup} ({b.Rows} rows)").ToArray() : null),
            ("VersionAfter", record.VersionAfter?.ToString()),
        ]);
        await DeferredChecks.RunAsync(Connection, sql, transaction, taken, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_work is null && _opening is not null)
        {
            // Opened early for work that did not come (the lock was not had, another runner did it, a failure).
            try
            {
                _work = await _opening.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is StepwiseException or NpgsqlException or TimeoutException or OperationCanceledException)
            {
                // Nothing to close; the run's own outcome is already reported.
            }
        }

        if (_work is not null)
        {
            await _work.DisposeAsync().ConfigureAwait(false);
        }

        await _state.DisposeAsync().ConfigureAwait(false);
        await _stateSource.DisposeAsync().ConfigureAwait(false);
    }

    // A handful of shapes, each the same text every time: built once, and Npgsql's automatic preparation recognizes it.
    private static readonly ConcurrentDictionary<(StepStatus Status, MigrationDirection Direction, bool Transactional, bool WaitForFlush), string> BookkeepingSql = new();

    private static string BuildBookkeepingSql((StepStatus Status, MigrationDirection Direction, bool Transactional, bool WaitForFlush) shape)
    {
        var stateChange = LedgerRules.AfterStep(shape.Status, shape.Direction, shape.Transactional) switch
        {
            LedgerMark.Applied => UpsertApplied("applied"),
            LedgerMark.Forget => "DELETE FROM stepwise.applied_migration WHERE project = @Project AND migration_key = @Key",
            LedgerMark.Failed => UpsertApplied("failed"),
            _ => null,
        };
        return
            $"""
            WITH history AS (
                INSERT INTO stepwise.migration_history (run_id, project, version, path, from_version, phase, "order", migration_key, name, description,
                    checksum, direction, status, transactional, started_at, finished_at, duration_ms, environment, host, runner_version, error, backups)
                VALUES (@RunId, @Project, @Version, @Path, @FromVersion, @Phase, @Order, @Key, @Name, @Description,
                    @Checksum, @Direction, @Status, @Transactional, @StartedAt, @FinishedAt, @DurationMs, @Environment, @Host, @RunnerVersion, @Error, @Backups)
                RETURNING id
            )
            {stateChange ?? "SELECT id FROM history"};
            {(LedgerRules.MovesVersion(shape.Status) ? MetadataUpsert : "SELECT 1")};
            {(shape.WaitForFlush ? "" : "SET LOCAL synchronous_commit = off;")}
            COMMIT;
            """;
    }

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

    [LoggerMessage(Level = LogLevel.Debug, Message = "Connected to {Target} as {User} (PostgreSQL {ServerVersion})")]
    private partial void LogConnected(string target, string user, string serverVersion);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Closed {Count} audit entries of {Project} whose runner stopped before its run finished (killed, or its connection lost)")]
    private partial void LogClosedInterruptedRuns(string project, long count);

    // Releases the lock; the connection stays the session's (closing it would release the lock as well).
    private sealed class ProjectLock(NpgsqlConnection connection, long key) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await connection.RunAsync("SELECT pg_advisory_unlock(@key)", null, CancellationToken.None, ("key", key)).ConfigureAwait(false);
            }
            catch (NpgsqlException)
            {
                // A broken connection has released the lock on the server already.
            }
        }
    }
}
