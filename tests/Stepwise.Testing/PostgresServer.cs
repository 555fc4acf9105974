using Npgsql;
using Testcontainers.PostgreSql;
using Xunit;

namespace Stepwise.Testing;

/// <summary>
/// A real PostgreSQL server for a test run: <c>STEPWISE_TEST_POSTGRES</c> when set (a connection string of a user that
/// may create databases), else a Testcontainers container when a Docker engine answers, else a throwaway cluster
/// started from the local PostgreSQL binaries and removed afterwards.
/// </summary>
/// <remarks>Use as an assembly fixture; each test takes its own database from <see cref="CreateDatabaseAsync"/>.</remarks>
public sealed class PostgresServer : IAsyncLifetime
{
    private PostgreSqlContainer? _container;
    private LocalPostgresCluster? _cluster;
    private NpgsqlConnectionStringBuilder? _admin;

    /// <summary>Where the server came from: for the test log.</summary>
    public string Source { get; private set; } = "";

    /// <summary>The name of the user of <see cref="AdminConnectionString"/> (the owner of what tests create).</summary>
    public string AdminUser => new NpgsqlConnectionStringBuilder(AdminConnectionString).Username ?? "";

    /// <summary>A connection string of a user that may create databases, to the <c>postgres</c> database.</summary>
    public string AdminConnectionString => (_admin ?? throw new InvalidOperationException("The server is not started.")).ConnectionString;

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        var configured = Environment.GetEnvironmentVariable("STEPWISE_TEST_POSTGRES");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            _admin = new NpgsqlConnectionStringBuilder(configured) { Pooling = false };
            Source = "STEPWISE_TEST_POSTGRES";
            return;
        }

        if (DockerEngine.Answers())
        {
            _container = new PostgreSqlBuilder("postgres:15-alpine").Build();
            await _container.StartAsync().ConfigureAwait(false);
            _admin = new NpgsqlConnectionStringBuilder(_container.GetConnectionString()) { Pooling = false };
            Source = "Testcontainers";
            return;
        }

        _cluster = await LocalPostgresCluster.StartAsync().ConfigureAwait(false);
        _admin = new NpgsqlConnectionStringBuilder(_cluster.ConnectionString) { Pooling = false };
        Source = $"local cluster ({_cluster.BinDirectory})";
    }

    /// <summary>Creates an empty database that is dropped when the returned handle is disposed.</summary>
    public Task<TestDatabase> CreateDatabaseAsync(string? prefix = null) => TestDatabase.CreateAsync(AdminConnectionString, prefix);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_container is not null)
        {
            await _container.DisposeAsync().ConfigureAwait(false);
        }

        if (_cluster is not null)
        {
            await _cluster.DisposeAsync().ConfigureAwait(false);
        }
    }
}
