using Microsoft.Extensions.Logging;
using Npgsql;
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
internal sealed partial class PostgresSession : IDatabaseSession, IRehearsals, IBackups, ITransientFailures
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
            INSERT INTO stepwise.audit_log (run_id, project, operation, from_version, target_version, environment, host, runner_version,
                actor, os_user, service_account, git_commit, image)
            VALUES (@RunId, @Project, @Operation, @FromVersion, @TargetVersion, @Environment, @Host, @RunnerVersion,
                @Actor, @OsUser, @ServiceAccount, @GitCommit, @Image)
            RETURNING id, (SELECT count(*) FROM closed)
            """, null, [("RunId", run.RunId), ("Project", run.Project), ("Operation", run.Operation), ("FromVersion", run.FromVersion),
            ("TargetVersion", run.TargetVersion), ("Environment", run.Environment), ("Host", run.Host), ("RunnerVersion", run.RunnerVersion),
            ("Actor", run.Who?.Actor), ("OsUser", run.Who?.OsUser), ("ServiceAccount", run.Who?.ServiceAccount), ("GitCommit", run.Who?.GitCommit),
            ("Image", run.Who?.Image)]);
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

    public async Task<IReadOnlyList<AuditRun>> ReadAuditAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        try
        {
            return await PostgresAuditLog.ReadAsync(_state, query, cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (NotMigratedYet(ex))
        {
            return [];
        }
    }

    public bool IsTransient(Exception exception) => PostgresFailures.IsTransient(exception);

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
        if (step.LockTimeout is { } lockTimeout)
        {
            // LOCAL ends with the step's transaction; without one, the scope resets it when the step ends.
            var milliseconds = ((long)lockTimeout.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await Connection.RunAsync($"SET {(transaction is null ? "" : "LOCAL ")}lock_timeout = '{milliseconds}ms'", transaction, cancellationToken)
                .ConfigureAwait(false);
        }

        // Read on the lock connection, idle while a step runs: a name the server cannot read must not fail the step.
        var sizes = step.Migration.Changes.Count > 0 && step.Direction == MigrationDirection.Up
            ? await TableSizes.TryReadAsync(_state, step.Migration.Changes, cancellationToken).ConfigureAwait(false)
            : null;
        return new PostgresStepScope(Connection, step, transaction, PostgresContext.For(Connection, transaction, step),
            LockWatch.Start(_stateSource, Connection.ProcessID)) { SizesBefore = sizes, SizesConnection = _state };
    }

    public async Task<IRehearsal> BeginRehearsalAsync(CancellationToken cancellationToken)
    {
        await OpenWorkAsync(cancellationToken).ConfigureAwait(false);
        var transaction = await Connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        return new PostgresRehearsal(Connection, transaction);
    }

    public Task<IReadOnlyList<BackupRecord>> ListBackupsAsync(string project, CancellationToken cancellationToken) =>
        PostgresBackups.ListAsync(_state, project, cancellationToken);

    public async Task<IReadOnlyList<BackupRecord>> DropBackupsAsync(string project, ProjectVersion? version, CancellationToken cancellationToken) =>
        await PostgresBackups.DropAsync(_state, await OpenWorkAsync(cancellationToken).ConfigureAwait(false), project, version, cancellationToken).ConfigureAwait(false);

    public async Task RecordFailureAsync(StepRecord record, CancellationToken cancellationToken) =>
        await StepBookkeeping.RecordAloneAsync(await OpenWorkAsync(cancellationToken).ConfigureAwait(false), record, cancellationToken).ConfigureAwait(false);

    public async Task SetVersionAsync(string project, ProjectVersion? version, CancellationToken cancellationToken) =>
        await (await OpenWorkAsync(cancellationToken).ConfigureAwait(false)).RunAsync(version is null
            ? "DELETE FROM stepwise.project_metadata WHERE project = @project"
            : """
              INSERT INTO stepwise.project_metadata AS m (project, current_version) VALUES (@project, @version)
              ON CONFLICT (project) DO UPDATE SET current_version = EXCLUDED.current_version, updated_at = now()
              """, null, cancellationToken, ("project", project), ("version", version?.ToString())).ConfigureAwait(false);

    public async Task<IReadOnlyList<string>> FindLeftoversAsync(CancellationToken cancellationToken) =>
        await Leftovers.FindAsync(_state, cancellationToken).ConfigureAwait(false);

    public StepwiseException? Explain(Exception exception) => PostgresFailures.Explain(exception, _settings, _state, _work);

    public async Task RepairAsync(RunRecord run, IReadOnlyList<RepairAction> actions, CancellationToken cancellationToken)
    {
        if (actions.Count > 0)
        {
            await PostgresLedger.RepairAsync(await OpenWorkAsync(cancellationToken).ConfigureAwait(false), run, actions, cancellationToken).ConfigureAwait(false);
        }
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
