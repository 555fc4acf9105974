using System.Data.Common;

namespace Stepwise.Execution;

/// <summary>
/// Takes the connection's secrets out of what the runner writes into the database itself (a failure's message, the
/// statements a step sent): the output guard cleans only what leaves the process through its writers.
/// </summary>
internal sealed class Redaction
{
    public static Redaction None { get; } = new([]);

    private readonly string[] _secrets;

    public Redaction(IEnumerable<string> secrets) =>
        _secrets = [.. secrets.Where(static s => s.Length >= 3).Distinct(StringComparer.Ordinal).OrderByDescending(static s => s.Length)];

    /// <summary>The secrets of <paramref name="endpoint"/>: its password, its connection string and the password inside that.</summary>
    public static Redaction Of(DatabaseEndpoint endpoint) => new(endpoint.Secrets().Concat(PasswordIn(endpoint.ConnectionString)));

    public IReadOnlyList<string> Secrets => _secrets;

    public string? Clean(string? text)
    {
        if (text is null)
        {
            return null;
        }

        foreach (var secret in _secrets)
        {
            text = text.Replace(secret, "***", StringComparison.Ordinal);
        }

        return text;
    }

    // Password=… in a keyword connection string (a URI's is among the endpoint's own secrets).
    private static IEnumerable<string> PasswordIn(string? connectionString)
    {
        if (string.IsNullOrEmpty(connectionString) || connectionString.Contains("://", StringComparison.Ordinal))
        {
            return [];
        }

        try
        {
            var builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
            return builder.Keys.Cast<string>()
                .Where(static k => k.Replace(" ", "", StringComparison.Ordinal) is var key &&
                    (key.Equals("password", StringComparison.OrdinalIgnoreCase) || key.Equals("pwd", StringComparison.OrdinalIgnoreCase)))
                .Select(k => builder[k]?.ToString())
                .OfType<string>()
                .ToArray();
        }
        catch (ArgumentException)
        {
            return [];
        }
    }
}
