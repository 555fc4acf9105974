using Npgsql;
using Stepwise.Execution;

namespace Stepwise.PostgreSql.Internal;

/// <summary>A rehearsal: one transaction for every rehearsed step, always rolled back.</summary>
internal sealed class PostgresRehearsal(NpgsqlConnection connection, NpgsqlTransaction transaction) : IRehearsal
{
    public IMigrationContext ContextFor(StepStart step) => PostgresContext.For(connection, transaction, step);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            // A broken connection rolls the transaction back on the server anyway (and Npgsql then refuses the rollback).
        }

        try
        {
            await transaction.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            // As above: nothing is left to dispose on a connection that is gone.
        }
    }
}
