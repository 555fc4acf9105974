using Npgsql;

namespace Stepwise.Testing;

/// <summary>A database of its own for one test; dropped on dispose.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly PostgresServer _server;
    private readonly NpgsqlConnectionStringBuilder _settings;

    internal TestDatabase(PostgresServer server, string name, NpgsqlConnectionStringBuilder settings)
    {
        _server = server;
        _settings = settings;
        Name = name;
    }

    /// <summary>The database name.</summary>
    public string Name { get; }

    /// <summary>A connection string to the database (without pooling, so dropping it never waits for idle connections).</summary>
    public string ConnectionString => _settings.ConnectionString;

    /// <summary>The settings, for tests that take the connection apart (DB_HOST, DB_PASSWORD, ...).</summary>
    public NpgsqlConnectionStringBuilder Settings => new(_settings.ConnectionString);

    /// <summary>Runs a query and returns the first column of the first row.</summary>
    public async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync().ConfigureAwait(false);
        return value is null or DBNull ? default : (T)value;
    }

    /// <summary>Executes SQL.</summary>
    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    /// <summary>Whether a table exists (schema-qualified or on the search path).</summary>
    public async Task<bool> TableExistsAsync(string table) =>
        await ScalarAsync<bool>($"SELECT to_regclass('{table.Replace("'", "''", StringComparison.Ordinal)}') IS NOT NULL").ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await _server.DropDatabaseAsync(Name).ConfigureAwait(false);
}
