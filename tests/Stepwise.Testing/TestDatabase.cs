using Npgsql;

namespace Stepwise.Testing;

/// <summary>A database of its own for one test; dropped on dispose.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string _admin;
    private readonly NpgsqlConnectionStringBuilder _settings;

    private TestDatabase(string admin, string name, NpgsqlConnectionStringBuilder settings)
    {
        _admin = admin;
        _settings = settings;
        Name = name;
    }

    /// <summary>Creates an empty database on the server <paramref name="adminConnectionString"/> reaches (a user that may create databases).</summary>
    public static async Task<TestDatabase> CreateAsync(string adminConnectionString, string? prefix = null)
    {
        var name = $"{Sanitize(prefix ?? "t")}_{Guid.NewGuid():N}"[..Math.Min(63, Sanitize(prefix ?? "t").Length + 33)];
        await using (var connection = new NpgsqlConnection(adminConnectionString))
        {
            await connection.OpenAsync().ConfigureAwait(false);
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        var builder = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = name, Pooling = false };
        return new TestDatabase(adminConnectionString, name, builder);
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
    public async ValueTask DisposeAsync()
    {
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    private static string Sanitize(string prefix) =>
        new(prefix.ToLowerInvariant().Select(static c => char.IsAsciiLetterOrDigit(c) ? c : '_').Take(28).ToArray());
}
