using System.Globalization;
using Npgsql;

namespace Stepwise.PostgreSql.Internal;

/// <summary>
/// The runner's own statements, on Npgsql's command API. They are few and fixed, so they need no mapper: going
/// without one keeps run-time code generation out of every run (and out of a Native AOT runner image).
/// </summary>
internal static class SessionCommands
{
    public static NpgsqlCommand Command(this NpgsqlConnection connection, string sql, NpgsqlTransaction? transaction,
        ReadOnlySpan<(string Name, object? Value)> parameters, int? timeoutSeconds = null)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        if (timeoutSeconds is { } timeout)
        {
            command.CommandTimeout = timeout;
        }

        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    public static async Task<int> RunAsync(this NpgsqlConnection connection, string sql, NpgsqlTransaction? transaction,
        CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.Command(sql, transaction, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The first column of the first row; <c>default</c> for no row or SQL <c>NULL</c>; converted when the column's type
    /// differs (a <c>bigint</c> count read as <c>int</c>), as Dapper converts scalars.
    /// </summary>
    public static async Task<T?> ScalarAsync<T>(this NpgsqlConnection connection, string sql, NpgsqlTransaction? transaction,
        CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.Command(sql, transaction, parameters);
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return ConvertScalar<T>(value);
    }

    private static T? ConvertScalar<T>(object? value)
    {
        if (value is T typed)
        {
            return typed;
        }

        if (value is null or DBNull)
        {
            return default;
        }

        var target = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        return (T)(target.IsEnum ? Enum.ToObject(target, value) : Convert.ChangeType(value, target, CultureInfo.InvariantCulture));
    }

    public static string? NullableString(this NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
