using Microsoft.Extensions.Logging;
using MongoDB.Bson;
using MongoDB.Driver;
using Stepwise.Catalog;
using Stepwise.Execution;
using Stepwise.State;
using Stepwise.Versioning;

namespace Stepwise.MongoDb.Internal;

/// <summary>One runner's conversation with a MongoDB database: the seams of <see cref="IDatabaseSession"/> over the <c>stepwise.*</c> collections.</summary>
internal sealed partial class MongoSession : IDatabaseSession, IStepRequirements, IRehearsals, IBackups, ITransientFailures
{
    private static readonly TimeSpan StoreHoldWait = TimeSpan.FromSeconds(60);

    private readonly MongoClient _client;
    private readonly IMongoDatabase _db;
    private readonly MongoSettings.Resolved _settings;
    private readonly ServerTraits _server;
    private readonly LeaseTerms _terms;
    private readonly ILogger _logger;
    private readonly StepCommandLog _commands;
    private MongoLease? _lease;

    private MongoSession(MongoClient client, StepCommandLog commands, MongoSettings.Resolved settings, ServerTraits server, LeaseTerms terms,
        ILogger<MongoSession> logger)
    {
        _client = client;
        _commands = commands;

        // The runner's own reads and writes go to the primary and wait for a majority, whatever the URL says: a lock or
        // a record acknowledged by one node could be rolled back by a failover. (A standalone server has no majority to read at.)
        _db = client.GetDatabase(settings.Database, new MongoDatabaseSettings
        {
            ReadPreference = ReadPreference.Primary,
            ReadConcern = server.HasTransactions ? ReadConcern.Majority : ReadConcern.Default,
            WriteConcern = WriteConcern.WMajority,
        });
        _settings = settings;
        _server = server;
        _terms = terms;
        _logger = logger;
    }

    public static async Task<MongoSession> OpenAsync(MongoSettings.Resolved settings, LeaseTerms terms, ILogger<MongoSession> logger, CancellationToken cancellationToken)
    {
        // The driver reports each command it sends: those a step's migration sends go to the step's history.
        var commands = new StepCommandLog();
        var clientSettings = settings.Client.Clone();
        var configure = clientSettings.ClusterConfigurator;
        clientSettings.ClusterConfigurator = cluster =>
        {
            configure?.Invoke(cluster);
            cluster.Subscribe<MongoDB.Driver.Core.Events.CommandStartedEvent>(commands.OnStarted);
        };
        var client = new MongoClient(clientSettings);
        try
        {
            var admin = client.GetDatabase("admin");
            var hello = await HelloAsync(admin, cancellationToken).ConfigureAwait(false);
            var build = await admin.RunCommandAsync<BsonDocument>(new BsonDocument("buildInfo", 1), cancellationToken: cancellationToken).ConfigureAwait(false);
            var server = ServerTraits.From(hello, build);
            if (server.Version < ServerTraits.Oldest)
            {
                throw new StepwiseException(FailureKind.Connection,
                    $"{settings.Described} runs MongoDB {server.Version}; Stepwise needs {ServerTraits.Oldest} or later (leases judged by the server's clock, DDL in transactions).");
            }

            var session = new MongoSession(client, commands, settings, server, terms, logger);
            session.LogConnected(settings.Described, server.Describe());
            return session;
        }
        catch (Exception ex) when (ex is not StepwiseException)
        {
            client.Dispose();
            throw MongoFailures.Explain(ex, settings.Described, settings.Client.Credential?.Username) ?? new StepwiseException(FailureKind.Connection,
                $"Could not connect to {settings.Described} ({ex.GetType().Name}).", ex);
        }
    }

    // 'hello' exists from MongoDB 4.4.2 (and 5.0); earlier servers answer the same question to 'isMaster'.
    private static async Task<BsonDocument> HelloAsync(IMongoDatabase admin, CancellationToken cancellationToken)
    {
        try
        {
            return await admin.RunCommandAsync<BsonDocument>(new BsonDocument("hello", 1), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (MongoCommandException ex) when (ex.Code == CommandNotFound)
        {
            return await admin.RunCommandAsync<BsonDocument>(new BsonDocument("isMaster", 1), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    private const int CommandNotFound = 59;

    public string Target => _settings.Described;

    private string? DatabaseUser => _settings.Client.Credential?.Username;

    public string? Refusal(MigrationDescriptor migration) =>
        _server.Refusal(migration, migration.Type?.IsDefined(typeof(RequiresTransactionAttribute), inherit: false) == true, Target);

    public bool IsTransient(Exception exception) => Transactions.IsTransient(exception);

    public async Task<DatabaseState> ReadStateAsync(string project, CancellationToken cancellationToken)
    {
        var storeVersion = await MongoStoreEvolution.ReadAsync(_db, cancellationToken).ConfigureAwait(false);
        if (storeVersion == 0)
        {
            // Never migrated by Stepwise: read-only commands must not create anything, so this reads as empty.
            return DatabaseState.Empty(project);
        }

        var metadata = await Collection(StateCollections.ProjectMetadata).Find(new BsonDocument("_id", project))
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        var entries = await Collection(StateCollections.AppliedMigration).Find(new BsonDocument("project", project))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var (applied, failed, interrupted) = LedgerDocuments.Sort(entries);
        return new DatabaseState
        {
            Project = project,
            Initialized = true,
            SchemaCurrent = storeVersion == StoreSteps,
            CurrentVersion = metadata is not null && metadata.TryGetValue("current_version", out var version) && !version.IsBsonNull ? version.AsString : null,
            UpdatedAt = metadata is not null && metadata.TryGetValue("updated_at", out var at) && at.IsValidDateTime ? new DateTimeOffset(at.ToUniversalTime()) : null,
            Applied = applied,
            Failed = failed,
            Interrupted = interrupted,
        };
    }

    public async Task<IReadOnlyDictionary<string, string?>> ListProjectsAsync(CancellationToken cancellationToken)
    {
        var projects = new SortedDictionary<string, string?>(StringComparer.Ordinal);
        foreach (var metadata in await Collection(StateCollections.ProjectMetadata).Find(FilterDefinition<BsonDocument>.Empty)
                     .ToListAsync(cancellationToken).ConfigureAwait(false))
        {
            projects[metadata["_id"].AsString] = metadata.GetValue("current_version", BsonNull.Value) is { IsBsonNull: false } version ? version.AsString : null;
        }

        return new Dictionary<string, string?>(projects, StringComparer.Ordinal);
    }

    public async Task<IReadOnlyList<AppliedMigration>> ReadUnrecordedAsync(string project, CancellationToken cancellationToken)
    {
        var history = await Collection(StateCollections.MigrationHistory).Find(new BsonDocument("project", project))
            .Sort(new BsonDocument("id", -1)).ToListAsync(cancellationToken).ConfigureAwait(false);
        var recorded = (await Collection(StateCollections.AppliedMigration).Find(new BsonDocument("project", project))
            .Project(new BsonDocument("migration_key", 1)).ToListAsync(cancellationToken).ConfigureAwait(false))
            .Select(static e => e["migration_key"].AsString).ToHashSet(StringComparer.Ordinal);
        return LedgerDocuments.Ledger(history)
            .Where(l => l.Applied && !recorded.Contains(l.Entry["migration_key"].AsString))
            .Select(static l => LedgerDocuments.ToApplied(l.Entry, "finished_at", "id"))
            .OrderBy(static a => a.Sequence)
            .ToList();
    }

    public async Task<IReadOnlyList<HistoryEntry>> ReadHistoryAsync(string project, int limit, CancellationToken cancellationToken) =>
        (await Collection(StateCollections.MigrationHistory).Find(new BsonDocument("project", project)).Sort(new BsonDocument("id", -1)).Limit(limit)
            .ToListAsync(cancellationToken).ConfigureAwait(false)).Select(LedgerDocuments.ToHistory).ToList();

    public async Task RecordFailureAsync(StepRecord record, CancellationToken cancellationToken)
    {
        using var session = await _client.StartSessionAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await InOwnTransactionAsync(session,
                () => MongoBookkeeping.RecordAsync(_db, session, record, _server.RunsInTransaction(record.Start.Migration), DatabaseUser, cancellationToken), cancellationToken)
            .ConfigureAwait(false);
    }

    public async Task SetVersionAsync(string project, ProjectVersion? version, CancellationToken cancellationToken)
    {
        using var session = await _client.StartSessionAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        if (version is null)
        {
            await Collection(StateCollections.ProjectMetadata).DeleteOneAsync(session, new BsonDocument("_id", project), cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            return;
        }

        await MongoBookkeeping.SetMetadataAsync(_db, session, project, version.ToString(), null, cancellationToken).ConfigureAwait(false);
    }

    public async Task RepairAsync(RunRecord run, IReadOnlyList<RepairAction> actions, CancellationToken cancellationToken)
    {
        if (actions.Count == 0)
        {
            return;
        }

        using var session = await _client.StartSessionAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await InOwnTransactionAsync(session, () => MongoRepairs.ApplyAsync(_db, session, run, actions, DatabaseUser, cancellationToken), cancellationToken)
            .ConfigureAwait(false);
    }

    // Under the project's lock no other run of the project is alive: an entry still 'running' belongs to a runner that was
    // killed or lost its connection.
    public async Task<long> BeginRunAsync(RunRecord run, CancellationToken cancellationToken)
    {
        var audit = Collection(StateCollections.AuditLog);
        var closed = await audit.UpdateManyAsync(new BsonDocument { { "project", run.Project }, { "outcome", "running" } },
            Builders<BsonDocument>.Update.Pipeline(new BsonDocument[]
            {
                new("$set", new BsonDocument
                {
                    { "outcome", "interrupted" },
                    { "finished_at", "$$NOW" },
                    { "message", new BsonDocument("$literal", $"the runner stopped before the run finished (killed, or its connection lost); closed by run {run.RunId}") },
                }),
            }), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (closed.ModifiedCount > 0)
        {
            LogClosedInterruptedRuns(run.Project, closed.ModifiedCount);
        }

        var id = await MongoBookkeeping.NextIdAsync(_db, null, MongoBookkeeping.AuditCounter, cancellationToken).ConfigureAwait(false);
        await audit.InsertOneAsync(MongoAuditLog.Entry(id, run, DatabaseUser), cancellationToken: cancellationToken).ConfigureAwait(false);
        return id;
    }

    public Task<IReadOnlyList<AuditRun>> ReadAuditAsync(AuditQuery query, CancellationToken cancellationToken) =>
        MongoAuditLog.ReadAsync(_db, query, cancellationToken);

    public Task EndRunAsync(long auditId, RunOutcome outcome, string? message, CancellationToken cancellationToken) =>
        Collection(StateCollections.AuditLog).UpdateOneAsync(new BsonDocument("id", auditId),
            Builders<BsonDocument>.Update.Pipeline(new BsonDocument[]
            {
                new("$set", new BsonDocument
                {
                    { "finished_at", "$$NOW" },
                    { "outcome", outcome == RunOutcome.Succeeded ? "succeeded" : "failed" },
                    { "message", message is null ? BsonNull.Value : new BsonDocument("$literal", message) },
                }),
            }), cancellationToken: cancellationToken);

    public async Task<IStepScope> BeginStepAsync(StepStart step, CancellationToken cancellationToken)
    {
        var lease = _lease ?? throw new InvalidOperationException("A step runs only under the project's lock.");
        lease.EnsureHeld();
        if (Refusal(step.Migration) is { } refusal)
        {
            throw new StepwiseException(FailureKind.Usage, refusal + ".");
        }

        var session = await _client.StartSessionAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        try
        {
            // A migration written for a transaction, on a server without: marked as started like a non-transactional step,
            // and undone by its Down should it fail (ICompensatingScope).
            var inTransaction = _server.RunsInTransaction(step.Migration);
            if (LedgerRules.AtStart(inTransaction, step.Direction) is { } mark)
            {
                await MongoBookkeeping.MarkStartedAsync(_db, session, step, mark, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                session.StartTransaction(Transactions.Options);
            }

            var scope = new MongoStepScope(_db, session, MongoContext.For(_db, session, inTransaction, step), lease, _server, DatabaseUser, step,
                _commands.Watch(session.ServerSession.Id, step.Commands));
            return step.Migration.Transactional && !inTransaction ? new CompensatingStepScope(_db, session, scope, DatabaseUser) : scope;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    public async Task<IRehearsal> BeginRehearsalAsync(CancellationToken cancellationToken)
    {
        if (!_server.HasTransactions)
        {
            throw new StepwiseException(FailureKind.Usage,
                $"{Target} is a standalone server, which has no transactions to run steps for practice in (policy dry_run_first, and the judging of " +
                "a stopped step). Run MongoDB as a replica set (one node will do), or turn dry_run_first off and settle stopped steps with 'rollback' or 'repair'.");
        }

        var session = await _client.StartSessionAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        session.StartTransaction(Transactions.Options);
        return new MongoRehearsal(_db, session);
    }

    public Task<IReadOnlyList<BackupRecord>> ListBackupsAsync(string project, CancellationToken cancellationToken) =>
        MongoBackups.ListAsync(_db, project, cancellationToken);

    public Task<IReadOnlyList<BackupRecord>> DropBackupsAsync(string project, ProjectVersion? version, CancellationToken cancellationToken)
    {
        (_lease ?? throw new InvalidOperationException("Backups are dropped only under the project's lock.")).EnsureHeld();
        return MongoBackups.DropAsync(_db, project, version, cancellationToken);
    }

    public string StoreName => "stepwise.* collections";

    public int StoreSteps => StateCollections.Steps.Count;

    public Task<int> ReadStoreVersionAsync(CancellationToken cancellationToken) => MongoStoreEvolution.ReadAsync(_db, cancellationToken);

    public async Task<IStoreEvolution> BeginStoreEvolutionAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + StoreHoldWait;
        while (true)
        {
            if (await MongoLease.TryAcquireAsync(_db, StateCollections.StoreLockId, Holder("store"), _terms, _logger, cancellationToken).ConfigureAwait(false) is { } hold)
            {
                return new MongoStoreEvolution(_db, hold);
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new StepwiseException(FailureKind.LockTimeout,
                    $"Another runner has held {Target}'s stepwise.* collections for {StoreHoldWait.TotalSeconds:0} s while evolving them " +
                    $"({await MongoLease.DescribeHolderAsync(_db, StateCollections.StoreLockId).ConfigureAwait(false) ?? "holder unknown"}). Run the command again.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<IAsyncDisposable?> TryAcquireLockAsync(string project, CancellationToken cancellationToken)
    {
        var lease = await MongoLease.TryAcquireAsync(_db, project, Holder(project), _terms, _logger, cancellationToken).ConfigureAwait(false);
        if (lease is null)
        {
            return null;
        }

        _lease = lease;
        return new ProjectLock(this, lease);
    }

    public Task<string?> DescribeLockHolderAsync(string project) => MongoLease.DescribeHolderAsync(_db, project);

    public string DeadHolderRelease =>
        $"A runner that died keeps its lock until its lease ends, {_terms.Lease.TotalSeconds:0} s after its last renewal; the next runner then takes it over.";

    public StepwiseException? Explain(Exception exception) => MongoFailures.Explain(exception, Target, DatabaseUser);

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private IMongoCollection<BsonDocument> Collection(string name) => _db.GetCollection<BsonDocument>(name);

    private static string Holder(string what) => $"runner on {Environment.MachineName} (pid {Environment.ProcessId}) for {what}";

    // Work that must land whole: in a transaction where the server has them; a standalone server writes it in order.
    private async Task InOwnTransactionAsync(IClientSessionHandle session, Func<Task> work, CancellationToken cancellationToken)
    {
        if (!_server.HasTransactions)
        {
            await work().ConfigureAwait(false);
            return;
        }

        session.StartTransaction(Transactions.Options);
        try
        {
            await work().ConfigureAwait(false);
            await Transactions.CommitAsync(session, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await Transactions.AbortQuietlyAsync(session).ConfigureAwait(false);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Connected to {Target} ({Server})")]
    private partial void LogConnected(string target, string server);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Closed {Count} audit entries of {Project} whose runner stopped before its run finished (killed, or its connection lost)")]
    private partial void LogClosedInterruptedRuns(string project, long count);

    private sealed class ProjectLock(MongoSession session, MongoLease lease) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            session._lease = null;
            return lease.DisposeAsync();
        }
    }
}
