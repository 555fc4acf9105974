using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Stepwise.Execution;
using Stepwise.PostgreSql.Internal;
using Stepwise.Verification;

namespace Stepwise.PostgreSql;

/// <summary>
/// The PostgreSQL engine: state in schema <c>stepwise</c>, a session advisory lock per project, one transaction per step.
/// </summary>
public sealed class PostgresEngine : IDatabaseEngine, IScratchDatabases, Observing.IClientTracing
{
    /// <summary>Npgsql traces each command it sends: exported, they show a step's statements under the step.</summary>
    public IReadOnlyList<string> ActivitySources { get; } = ["Npgsql"];

    private readonly ILoggerFactory _loggerFactory;

    /// <summary>Creates the engine.</summary>
    public PostgresEngine(ILoggerFactory? loggerFactory = null) => _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;

    /// <inheritdoc />
    public string Name => "postgresql";

    /// <inheritdoc />
    public int DefaultPort => ConnectionSettings.DefaultPort;

    /// <inheritdoc />
    public Type ContextType => typeof(PostgresContext);

    /// <inheritdoc />
    public async Task<IDatabaseSession> OpenAsync(SessionOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = ConnectionSettings.Build(options.Endpoint, options.ApplicationName, options.CommandTimeout);
        ConnectionSettings.RequireTls(builder, options.Profile);
        return await PostgresSession.OpenAsync(builder, options, _loggerFactory.CreateLogger<PostgresSession>(), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IScratchDatabase> CreateScratchAsync(SessionOptions options, string project, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(project);
        return await PostgresScratchDatabase.CreateAsync(options, project, cancellationToken).ConfigureAwait(false);
    }
}
