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
    public async Task<TestDatabase> CreateDatabaseAsync(string? prefix = null)
    {
        var name = $"{Sanitize(prefix ?? "t")}_{Guid.NewGuid():N}"[..Math.Min(63, Sanitize(prefix ?? "t").Length + 33)];
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync().ConfigureAwait(false);
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        var builder = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name };
        return new TestDatabase(this, name, builder);
    }

    internal async Task DropDatabaseAsync(string name)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

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

    private static string Sanitize(string prefix) =>
        new(prefix.ToLowerInvariant().Select(static c => char.IsAsciiLetterOrDigit(c) ? c : '_').Take(28).ToArray());
}
