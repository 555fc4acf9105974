using Npgsql;
using Stepwise.Execution;

namespace Stepwise.PostgreSql.Internal;

/// <summary>
/// The hold on schema <c>stepwise</c> while its numbered changes (<see cref="StepwiseSchema.Changes"/>) are applied: one
/// transaction under a transaction-level advisory lock, so that two runners never evolve it at once and a failed change
/// leaves nothing.
/// </summary>
internal sealed class PostgresStoreEvolution : IStoreEvolution
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;

    private PostgresStoreEvolution(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    public static async Task<PostgresStoreEvolution> BeginAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await connection.RunAsync("SELECT pg_advisory_xact_lock(@key)", transaction, cancellationToken, ("key", StepwiseSchema.SetupLockKey))
                .ConfigureAwait(false);
            await connection.RunAsync(
                """
                CREATE SCHEMA IF NOT EXISTS stepwise;
                CREATE TABLE IF NOT EXISTS stepwise.schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
                """, transaction, cancellationToken).ConfigureAwait(false);
            return new PostgresStoreEvolution(connection, transaction);
        }
        catch
        {
            await transaction.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async Task<int> ReadStoreVersionAsync(CancellationToken cancellationToken) =>
        await _connection.ScalarAsync<int?>("SELECT max(version) FROM stepwise.schema_version", _transaction, cancellationToken).ConfigureAwait(false) ?? 0;

    public async Task ApplyStepAsync(int step, CancellationToken cancellationToken)
    {
        await _connection.RunAsync(StepwiseSchema.Changes[step - 1], _transaction, cancellationToken).ConfigureAwait(false);
        await _connection.RunAsync("INSERT INTO stepwise.schema_version (version) VALUES (@version)", _transaction, cancellationToken, ("version", step))
            .ConfigureAwait(false);
    }

    public Task CommitAsync(CancellationToken cancellationToken) => _transaction.CommitAsync(cancellationToken);

    public ValueTask DisposeAsync() => _transaction.DisposeAsync();
}
