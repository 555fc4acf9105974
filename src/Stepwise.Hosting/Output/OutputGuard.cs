using System.Data.Common;
using System.Text.RegularExpressions;

namespace Stepwise.Hosting.Output;

/// <summary>
/// Cleans every line the process writes: known secrets and anything shaped like a password become <c>***</c>, and
/// control characters become visible escapes.
/// </summary>
/// <remarks>
/// Messages are built not to hold secrets in the first place; this is the second line of defence, and the only one for
/// text Stepwise does not compose: the command-line parser echoing a mistyped option's value, a driver or a migration
/// quoting a connection string back, a log line at any level.
/// </remarks>
internal sealed partial class OutputGuard
{
    private string[] _secrets;

    public OutputGuard(IEnumerable<string> secrets) => _secrets = Order(secrets);

    /// <summary>Also redacts these from now on.</summary>
    public void Add(IEnumerable<string> secrets) => _secrets = Order(_secrets.Concat(secrets));

    public string Clean(string text)
    {
        foreach (var secret in _secrets)
        {
            text = text.Replace(secret, "***", StringComparison.Ordinal);
        }

        text = PasswordSetting().Replace(text, "${key}***");
        text = UriPassword().Replace(text, "${head}***@");
        return EchoedInput.Visible(text);
    }

    /// <summary>
    /// The secrets the process can know before it parses anything: connection strings and passwords among the arguments
    /// (wherever they are, even given to a mistyped option) and in the environment the runner reads.
    /// </summary>
    public static IEnumerable<string> SecretsIn(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (string.Equals(arg, "--connection", StringComparison.Ordinal) && i + 1 < args.Count)
            {
                yield return args[i + 1];
            }

            foreach (var secret in ConnectionSecrets(arg))
            {
                yield return secret;
            }
        }

        if (environment("STEPWISE_CONNECTION") is { Length: > 0 } connection)
        {
            yield return connection;
            foreach (var secret in ConnectionSecrets(connection))
            {
                yield return secret;
            }
        }

        if (environment("DB_PASSWORD") is { Length: > 0 } password)
        {
            yield return password;
        }

        // The files a mounted Secret provides: read here too, so that nothing the runner writes before it connects can show them.
        foreach (var file in new[] { environment("DB_PASSWORD_FILE"), environment("STEPWISE_CONNECTION_FILE") })
        {
            if (ReadQuietly(file) is { Length: > 0 } secret)
            {
                yield return secret;
                foreach (var part in ConnectionSecrets(secret))
                {
                    yield return part;
                }
            }
        }
    }

    private static string? ReadQuietly(string? path)
    {
        try
        {
            return string.IsNullOrEmpty(path) ? null : File.ReadAllText(path).TrimEnd('\r', '\n');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null; // The resolver reports the file when it needs it.
        }
    }

    // A text that reads as a connection string holding a password: the whole text and the password.
    private static IEnumerable<string> ConnectionSecrets(string text)
    {
        if (!text.Contains('=', StringComparison.Ordinal))
        {
            return [];
        }

        var found = new List<string>();
        try
        {
            var builder = new DbConnectionStringBuilder { ConnectionString = text.StartsWith("--", StringComparison.Ordinal) && text.IndexOf('=', StringComparison.Ordinal) is var eq and > 0
                ? text[(eq + 1)..]
                : text };
            foreach (string key in builder.Keys)
            {
                if (IsPasswordKey(key) && builder[key]?.ToString() is { Length: > 0 } password)
                {
                    found.Add(password);
                    found.Add(text);
                }
            }
        }
        catch (ArgumentException)
        {
            // Not a connection string; the password pattern still covers one that is merely malformed.
        }

        return found;
    }

    private static bool IsPasswordKey(string key) =>
        key.Replace(" ", "", StringComparison.Ordinal) is var k && (k.Equals("password", StringComparison.OrdinalIgnoreCase) || k.Equals("pwd", StringComparison.OrdinalIgnoreCase));

    private static string[] Order(IEnumerable<string> secrets) =>
        secrets.Where(static s => s.Length >= 3).Distinct(StringComparer.Ordinal).OrderByDescending(static s => s.Length).ToArray();

    // Password=..., Pwd=... in any connection-string-like text, quoted or not, up to the next ';'.
    [GeneratedRegex("""(?<key>\b(?:password|pwd)\s*=\s*)(?:'(?:[^']|'')*'|"(?:[^"]|"")*"|[^;\s'"]*)""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PasswordSetting();

    // scheme://user:password@host
    [GeneratedRegex("""(?<head>[a-z][a-z0-9+.-]*://[^:/@\s]*:)[^@\s]+@""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UriPassword();
}
