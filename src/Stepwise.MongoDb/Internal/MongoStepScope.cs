using MongoDB.Driver;
using Stepwise.Execution;

namespace Stepwise.MongoDb.Internal;

/// <summary>
/// A running step: its session (and transaction, when it has one), the context handed to the migration, and the commit
/// that records it.
/// </summary>
internal sealed class MongoStepScope(IMongoDatabase db, IClientSessionHandle session, MongoContext context, MongoLease lease, ServerTraits server,
    string? databaseUser, StepStart step, IDisposable? commandsWatch = null) : IStepScope, IStepBackup
{
    private bool _completed;

    public IMigrationContext Context => context;

    // Outside the step's transaction (see MongoBackups): $out is refused inside one.
    public Task<IReadOnlyList<BackupRecord>> BackupAsync(IReadOnlyList<string> objects, CancellationToken cancellationToken) =>
        MongoBackups.TakeAsync(db, lease, step, objects, cancellationToken);

    public async Task CompleteAsync(StepRecord record, CancellationToken cancellationToken)
    {
        await lease.ConfirmAsync(cancellationToken).ConfigureAwait(false);
        var ranInTransaction = session.IsInTransaction;
        if (!ranInTransaction && server.HasTransactions)
        {
            // The migration's own changes are committed already; its bookkeeping still goes in atomically.
            session.StartTransaction(Transactions.Options);
        }

        await MongoBookkeeping.RecordAsync(db, session, record, ranInTransaction, databaseUser, cancellationToken).ConfigureAwait(false);
        if (session.IsInTransaction)
        {
            await Transactions.CommitAsync(session, cancellationToken).ConfigureAwait(false);
        }

        _completed = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_completed)
        {
            await Transactions.AbortQuietlyAsync(session).ConfigureAwait(false);
        }

        commandsWatch?.Dispose();
        session.Dispose();
    }
}

/// <summary>
/// A step written for a transaction, run on a server without one: its changes are kept as they go, and when it fails
/// the runner undoes it with the migration's Down, then records here whether that worked.
/// </summary>
internal sealed class CompensatingStepScope(IMongoDatabase db, IClientSessionHandle session, MongoStepScope scope, string? databaseUser)
    : IStepScope, ICompensatingScope, IStepBackup
{
    public IMigrationContext Context => scope.Context;

    public Task<IReadOnlyList<BackupRecord>> BackupAsync(IReadOnlyList<string> objects, CancellationToken cancellationToken) =>
        scope.BackupAsync(objects, cancellationToken);

    public Task CompleteAsync(StepRecord record, CancellationToken cancellationToken) => scope.CompleteAsync(record, cancellationToken);

    public Task RecordFailedAsync(StepRecord record, bool undone, CancellationToken cancellationToken) =>
        MongoBookkeeping.RecordCompensatedAsync(db, session, record, undone, databaseUser, cancellationToken);

    public ValueTask DisposeAsync() => scope.DisposeAsync();
}

/// <summary>How the engine runs a transaction: majority writes, and a commit retried while its outcome is unknown.</summary>
internal static class Transactions
{
    /// <summary>
    /// Read concern <c>local</c>: MongoDB creates collections and indexes inside a transaction only under it (any other
    /// refuses with InvalidOptions); a replica set's transaction still reads from one snapshot taken as it starts.
    /// Writes wait for a majority, so a committed step survives a failover.
    /// </summary>
    public static TransactionOptions Options { get; } = new(readConcern: ReadConcern.Local, writeConcern: WriteConcern.WMajority);

    private const string UnknownCommitResult = "UnknownTransactionCommitResult";
    private const string TransientTransactionError = "TransientTransactionError";
    private const int NoSuchTransaction = 251;
    private const int CommitAttempts = 3;

    /// <summary>
    /// Aborts the session's transaction, if it has one. A failure to abort is not reported: the server aborts a
    /// transaction whose session is gone, and the failure that led here is the one that matters.
    /// </summary>
    public static async Task AbortQuietlyAsync(IClientSessionHandle session)
    {
        try
        {
            if (session.IsInTransaction)
            {
                await session.AbortTransactionAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is MongoException or TimeoutException or InvalidOperationException)
        {
            // See above.
        }
    }

    /// <summary>
    /// Whether the server aborted the transaction for a reason of its own (a write conflict, a primary stepping down), so
    /// that running the whole step again is safe: the error, or one it wraps, carries MongoDB's
    /// <c>TransientTransactionError</c> label.
    /// </summary>
    public static bool IsTransient(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            // NoSuchTransaction is also how the server reports a transaction it aborted for outliving
            // transactionLifetimeLimitSeconds (60 s by default): running such a step again would only time out again.
            if (current is MongoException mongo && mongo.HasErrorLabel(TransientTransactionError))
            {
                return mongo is not MongoCommandException { Code: NoSuchTransaction };
            }
        }

        return false;
    }

    /// <summary>
    /// Commits; a commit whose outcome the driver could not learn (a primary stepping down, a network error) is sent
    /// again, which the server answers for the same transaction, so it is never applied twice. When the outcome stays
    /// unknown, the step is reported as such (it may be applied), never as rolled back.
    /// </summary>
    public static async Task CommitAsync(IClientSessionHandle session, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await session.CommitTransactionAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (MongoException ex) when (ex.HasErrorLabel(UnknownCommitResult) && attempt < CommitAttempts)
            {
                // Retried: commitTransaction is idempotent for one transaction.
            }
            catch (Exception ex) when ((ex is MongoException mongo && mongo.HasErrorLabel(UnknownCommitResult)) || ex is TimeoutException)
            {
                throw new StepwiseException(FailureKind.Connection,
                    $"MongoDB did not confirm the step's commit ({ex.GetType().Name}); it may or may not have been applied. Run 'status' before " +
                    "anything else: it shows whether the step is recorded as applied.", ex);
            }
        }
    }
}
