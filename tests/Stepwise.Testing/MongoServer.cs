using MongoDB.Bson;
using MongoDB.Driver;
using Testcontainers.MongoDb;
using Xunit;

namespace Stepwise.Testing;

/// <summary>
/// A real MongoDB server for a test run, a single-node replica set so that steps have transactions (see
/// <see cref="MongoStandaloneServer"/> for one without): <c>STEPWISE_TEST_MONGODB</c> when set (a <c>mongodb://</c> URL of a user that may create databases), else a
/// Testcontainers container when a Docker engine answers. Neither is possible on a machine without Docker and without a
/// MongoDB package (the repository's own CI machine): the tests that need one are then skipped, saying why, and the
/// GitHub Actions workflow runs them.
/// </summary>
/// <remarks>Use as an assembly fixture; each test takes its own database from <see cref="CreateDatabaseAsync"/>.</remarks>
public class MongoServer : IAsyncLifetime
{
    private readonly string _variable;
    private readonly bool _replicaSet;

    /// <summary>A single-node replica set: steps have transactions.</summary>
    public MongoServer()
        : this("STEPWISE_TEST_MONGODB", replicaSet: true)
    {
    }

    protected MongoServer(string variable, bool replicaSet)
    {
        _variable = variable;
        _replicaSet = replicaSet;
    }

    /// <summary>Why the tests that need a server are skipped here.</summary>
    public const string UnavailableText =
        "No MongoDB server: set {0} to a mongodb:// URL, or run a Docker engine for Testcontainers. " +
        "None can be installed on this machine (no Docker, no MongoDB package); GitHub Actions runs these tests.";

    /// <summary>Why the tests that need this server are skipped here.</summary>
    public string Unavailable => string.Format(System.Globalization.CultureInfo.InvariantCulture, UnavailableText, _variable);

    private MongoDbContainer? _container;
    private string? _url;

    /// <summary>Where the server came from: for the test log.</summary>
    public string Source { get; private set; } = "none";

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        var configured = Environment.GetEnvironmentVariable(_variable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            _url = configured;
            Source = _variable;
            return;
        }

        if (DockerEngine.Answers())
        {
            var builder = new MongoDbBuilder("mongo:7.0");
            _container = (_replicaSet ? builder.WithReplicaSet() : builder).Build();
            await _container.StartAsync().ConfigureAwait(false);
            _url = _container.GetConnectionString();
            Source = "Testcontainers";
        }
    }

    /// <summary>Whether a server answers here; a test that needs one skips with <see cref="Unavailable"/> otherwise.</summary>
    public bool Available => _url is not null;

    /// <summary>
    /// Set to <c>true</c> where a server must answer (GitHub Actions, with Docker): there, a test without one fails
    /// instead of skipping, so the workflow cannot pass without having run them.
    /// </summary>
    public const string RequiredVariable = "STEPWISE_TEST_REQUIRE_MONGODB";

    /// <summary>Skips the calling test with <see cref="Unavailable"/> when no server answers, or fails it where one is required.</summary>
    public void SkipUnlessAvailable()
    {
        if (Available)
        {
            return;
        }

        if (string.Equals(Environment.GetEnvironmentVariable(RequiredVariable), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail($"{RequiredVariable} is true, but: {Unavailable}");
        }

        Assert.Skip(Unavailable);
    }

    /// <summary>A new, empty database, dropped when the handle is disposed.</summary>
    public async Task<MongoTestDatabase> CreateDatabaseAsync(string prefix = "test")
    {
        var builder = new MongoUrlBuilder(_url ?? throw new InvalidOperationException(Unavailable)) { DatabaseName = $"{prefix}_{Guid.NewGuid():N}"[..40] };
        if (!string.IsNullOrEmpty(builder.Username) && string.IsNullOrEmpty(builder.AuthenticationSource))
        {
            builder.AuthenticationSource = "admin";
        }

        var database = new MongoTestDatabase(builder.ToString(), builder.DatabaseName);
        await database.Database.RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1)).ConfigureAwait(false);
        return database;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_container is not null)
        {
            await _container.DisposeAsync().ConfigureAwait(false);
        }

        GC.SuppressFinalize(this);
    }
}

/// <summary>A standalone MongoDB server (no replica set, so no transactions): <c>STEPWISE_TEST_MONGODB_STANDALONE</c>, or Testcontainers.</summary>
public sealed class MongoStandaloneServer() : MongoServer("STEPWISE_TEST_MONGODB_STANDALONE", replicaSet: false);

/// <summary>One test's MongoDB database, dropped when disposed.</summary>
public sealed class MongoTestDatabase(string url, string name) : IAsyncDisposable
{
    private readonly MongoClient _client = new(url);

    /// <summary>A <c>mongodb://</c> URL of the database, for <c>--connection</c>.</summary>
    public string Url { get; } = url;

    public IMongoDatabase Database => _client.GetDatabase(name);

    public async ValueTask DisposeAsync()
    {
        await _client.DropDatabaseAsync(name).ConfigureAwait(false);
        _client.Dispose();
    }
}
