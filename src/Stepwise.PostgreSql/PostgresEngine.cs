using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Stepwise.Execution;
using Stepwise.PostgreSql.Internal;

namespace Stepwise.PostgreSql;

/// <summary>
/// The PostgreSQL engine: state in schema <c>stepwise</c>, a session advisory lock per project, one transaction per step.
/// </summary>
public sealed class PostgresEngine : IDatabaseEngine
{
    private readonly ILoggerFactory _loggerFactory;

    /// <summary>Creates the engine.</summary>
    public PostgresEngine(ILoggerFactory? loggerFactory = null) => _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;

    /// <inheritdoc />
    public string Name => "postgresql";

    /// <inheritdoc />
    public Type ContextType => typeof(PostgresContext);

    /// <inheritdoc />
    public async Task<IDatabaseSession> OpenAsync(SessionOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = ConnectionSettings.Build(options.Endpoint, options.ApplicationName, options.CommandTimeout);
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw ConnectionSettings.Explain(ex, builder);
        }

        // PostgreSQL's default search path starts with "$user": for a user named like the runner's schema, every
        // unqualified table a migration creates would land among the runner's own tables.
        if (string.Equals(builder.Username, StepwiseSchema.Name, StringComparison.Ordinal))
        {
            await using var command = new NpgsqlCommand(
                "SELECT set_config('search_path', array_to_string(array_remove(string_to_array(current_setting('search_path'), ', '), '\"$user\"'), ', '), false)",
                connection);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return new PostgresSession(connection, builder, options, _loggerFactory.CreateLogger<PostgresSession>());
    }
}
