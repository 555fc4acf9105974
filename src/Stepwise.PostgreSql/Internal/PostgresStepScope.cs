using Npgsql;
using Stepwise.Execution;

namespace Stepwise.PostgreSql.Internal;

/// <summary>A step's transaction (or none) and context; records the step in the same transaction when it succeeds.</summary>
internal sealed class PostgresStepScope : IStepScope, IStepBackup, IHeldChecks, IStepImpactWatch
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction? _transaction;
    private readonly LockWatch? _watch;
    private bool _completed;

    private readonly StepStart _step;
    private readonly PostgresContext _context;

    public PostgresStepScope(NpgsqlConnection connection, StepStart step, NpgsqlTransaction? transaction, PostgresContext context, LockWatch? watch = null)
    {
        _watch = watch;
        _connection = connection;
        _step = step;
        _transaction = transaction;
        _context = context;
    }

    public IMigrationContext Context => _context;

    public StepImpact? Impact { get; private set; }

    /// <summary>The sizes of the tables the migration declares it changes, read before it ran; <c>null</c> when it declares none.</summary>
    public IReadOnlyList<(string Table, long? Bytes)>? SizesBefore { get; init; }

    /// <summary>Where the sizes are read again after the commit.</summary>
    public NpgsqlConnection? SizesConnection { get; init; }

    // A non-transactional step's lock_timeout was set for the session: later steps and the runner's own writes get theirs.
    private async Task ResetLockTimeoutAsync()
    {
        if (_step.LockTimeout is null || _connection.FullState != System.Data.ConnectionState.Open)
        {
            return;
        }

        try
        {
            await _connection.RunAsync("RESET lock_timeout", null, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            // A connection that failed here is not used again; the step's own outcome is what gets reported.
        }
    }

    // Only with a transaction to hold them in: a non-transactional step has committed its changes as it went, and its
    // checks answer at once. PreCheck's checks go with Up's statement when Up sends nothing else, as the build saw it.
    public bool MayHoldPreChecks => _transaction is not null && _step.Migration.UpSendsOneStatement;

    public void HoldChecks()
    {
        if (_transaction is not null)
        {
            _context.DeferChecks();
        }
    }

    public async Task<IReadOnlyList<BackupRecord>> BackupAsync(IReadOnlyList<string> objects, CancellationToken cancellationToken)
    {
        if (_transaction is not null)
        {
            return await PostgresBackups.TakeAsync(_connection, _step, objects, _transaction, cancellationToken).ConfigureAwait(false);
        }

        // A non-transactional step commits as it goes; its backup must be committed before it starts.
        await using var own = await _connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var taken = await PostgresBackups.TakeAsync(_connection, _step, objects, own, cancellationToken).ConfigureAwait(false);
        await own.CommitAsync(cancellationToken).ConfigureAwait(false);
        return taken;
    }

    public async Task CompleteAsync(StepRecord record, CancellationToken cancellationToken)
    {
        if (_transaction is not null)
        {
            await StepBookkeeping.RecordAndCommitAsync(_connection, record, _transaction, waitForFlush: false, cancellationToken, _context.DeferredChecks)
                .ConfigureAwait(false);
        }
        else
        {
            // The migration's own statements are already committed; its bookkeeping still goes in atomically.
            await StepBookkeeping.RecordAloneAsync(_connection, record, cancellationToken).ConfigureAwait(false);
        }

        _completed = true;

        // Until the commit, the step's locks were held: the watch ends here, not when the migration's code did.
        var watched = _watch is null ? null : await _watch.StopAsync().ConfigureAwait(false);
        // After the commit nothing may fail the step: the read is not cancelled, and a failure only leaves sizes out.
        IReadOnlyList<TableSize> sizes = SizesBefore is { } before && SizesConnection is { } sizesConnection
            && await TableSizes.TryReadAsync(sizesConnection, _step.Migration.Changes, CancellationToken.None).ConfigureAwait(false) is { } after
            ? TableSizes.Pair(before, after)
            : [];
        Impact = watched is null && sizes.Count == 0 ? null
            : (watched ?? new StepImpact(0, TimeSpan.Zero, TimeSpan.Zero) { Watched = false }) with { TableSizes = sizes };
    }

    public async ValueTask DisposeAsync()
    {
        // The rollback first: a failed step releases its locks before the watch's last look is cancelled.
        await EndAsync().ConfigureAwait(false);
        if (_watch is not null)
        {
            await _watch.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task EndAsync()
    {
        if (_transaction is null)
        {
            await ResetLockTimeoutAsync().ConfigureAwait(false);
            return;
        }

        if (!_completed)
        {
            try
            {
                await _transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
            {
                // A broken connection rolls the transaction back on the server anyway, and a COMMIT that failed in the
                // bookkeeping batch has already ended it (Npgsql then refuses a rollback as "completed").
            }
        }

        try
        {
            await _transaction.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            // A connection that is gone has nothing left to dispose; the step's own failure is what gets reported.
        }
    }
}
