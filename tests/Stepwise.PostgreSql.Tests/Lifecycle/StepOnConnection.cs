using Npgsql;

namespace Stepwise.PostgreSql.Tests.Lifecycle;

/// <summary>
/// A step's transaction on a connection of its own, and the context a migration gets in it: for tests of the context
/// without a run around it.
/// </summary>
internal sealed record StepOnConnection(NpgsqlConnection Connection, NpgsqlTransaction Transaction, PostgresContext Context) : IAsyncDisposable
{
    /// <param name="connectionString">The connection.</param>
    /// <param name="held">Whether the context holds its Require… checks back, as in a transactional step.</param>
    /// <param name="cancellationToken">Cancels the opening.</param>
    public static async Task<StepOnConnection> OpenAsync(string connectionString, bool held, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var context = new PostgresContext(connection, transaction, "ledger", environment: null, MigrationDirection.Up, "2.0.0");
        if (held)
        {
            context.DeferChecks();
        }

        return new StepOnConnection(connection, transaction, context);
    }

    public async ValueTask DisposeAsync()
    {
        await Transaction.DisposeAsync();
        await Connection.DisposeAsync();
    }
}
