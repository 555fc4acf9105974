using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MongoDB.Driver;
using Stepwise.Execution;
using Stepwise.MongoDb.Internal;

namespace Stepwise.MongoDb;

/// <summary>
/// The MongoDB engine: state in the <c>stepwise.*</c> collections, a leased lock document per project judged by the
/// server's clock, one transaction per step where the server has transactions (replica sets, sharded clusters).
/// </summary>
public sealed class MongoEngine : IDatabaseEngine, Observing.IClientTracing
{
    /// <summary>The driver traces each operation it sends (3.7 and later): exported, they show a step's commands under the step.</summary>
    public IReadOnlyList<string> ActivitySources { get; } = [MongoTelemetry.ActivitySourceName];

    private readonly ILoggerFactory _loggerFactory;

    /// <summary>Creates the engine.</summary>
    public MongoEngine(ILoggerFactory? loggerFactory = null) => _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;

    /// <inheritdoc />
    public string Name => "mongodb";

    /// <inheritdoc />
    public int DefaultPort => MongoSettings.DefaultPort;

    /// <inheritdoc />
    public Type ContextType => typeof(MongoContext);

    /// <inheritdoc />
    public async Task<IDatabaseSession> OpenAsync(SessionOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = MongoSettings.Build(options.Endpoint, options.ApplicationName, options.CommandTimeout);
        MongoSettings.RequireTls(settings, options.Profile);
        return await MongoSession.OpenAsync(settings, LeaseTerms.Default, _loggerFactory.CreateLogger<MongoSession>(), cancellationToken).ConfigureAwait(false);
    }
}
