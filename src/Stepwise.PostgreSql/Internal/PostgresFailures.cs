using System.Data;
using System.Net.Sockets;
using Npgsql;

namespace Stepwise.PostgreSql.Internal;

/// <summary>
/// Tells the database's failures from the migration's: a connection that went away (the server restarted, the backend
/// was terminated, the network dropped) and a privilege the user lacks each get their own kind and a message that
/// says what happened and what to do.
/// </summary>
internal static class PostgresFailures
{
    /// <summary>SQLSTATE classes and codes that mean the connection is gone: connection exceptions, and the server shutting the backend down.</summary>
    private static bool IsConnectionLoss(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal) || sqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown
            or PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.IdleSessionTimeout;

    /// <summary>
    /// The server gave up on the step's transaction because of other sessions, not because of the migration: a lock not had
    /// within lock_timeout (or NOWAIT), a deadlock, a serialization failure. The step can run again from its start.
    /// </summary>
    public static bool IsTransient(Exception exception) =>
        Find<PostgresException>(exception) is { SqlState: PostgresErrorCodes.LockNotAvailable or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure };

    /// <param name="exception">What was thrown.</param>
    /// <param name="settings">The connection's settings (for the message: host, port, database, user).</param>
    /// <param name="connections">The session's connections: one that is broken or closed explains any failure that follows.</param>
    public static StepwiseException? Explain(Exception exception, NpgsqlConnectionStringBuilder settings, params NpgsqlConnection?[] connections)
    {
        var where = ConnectionSettings.Describe(settings);
        var postgres = Find<PostgresException>(exception);
        if (postgres is { SqlState: PostgresErrorCodes.InsufficientPrivilege })
        {
            return new StepwiseException(FailureKind.Permission,
                $"The database user '{settings.Username}' lacks a privilege in {where}: {postgres.MessageText}. Grant it to the runner's role " +
                "(the runner needs CREATE on the database, or a schema stepwise it owns, and what its migrations change; see docs/reliability.md, 'Privileges').",
                exception);
        }

        if (postgres is not null && IsConnectionLoss(postgres.SqlState))
        {
            return Lost(where, $"{postgres.MessageText} ({postgres.SqlState})", exception);
        }

        if (postgres is null && (Find<NpgsqlException>(exception) is not null || exception is ObjectDisposedException or InvalidOperationException)
            && (Find<IOException>(exception) is not null || Find<SocketException>(exception) is not null || Find<EndOfStreamException>(exception) is not null
                || connections.Any(static c => c is not null && (c.FullState.HasFlag(ConnectionState.Broken) || c.FullState == ConnectionState.Closed))))
        {
            return Lost(where, "the server closed it, or the network dropped it", exception);
        }

        return null;
    }

    private static StepwiseException Lost(string where, string reason, Exception exception) =>
        new(FailureKind.Connection, $"Lost the connection to {where}: {reason}.", exception);

    /// <summary>The first exception of type <typeparamref name="T"/> in the chain of inner exceptions.</summary>
    public static T? Find<T>(Exception? exception)
        where T : Exception
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is T match)
            {
                return match;
            }
        }

        return null;
    }
}
