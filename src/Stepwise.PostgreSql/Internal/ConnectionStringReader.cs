using System.Data.Common;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;
using Stepwise.Execution;

namespace Stepwise.PostgreSql.Internal;

/// <summary>
/// Reads a connection given as Npgsql keywords (<c>Host=db;Database=shop;...</c>) or as the URI every other PostgreSQL
/// tool takes (<c>postgresql://user:password@host:5432/shop?sslmode=verify-full</c>), and names what is wrong with one
/// that cannot be read. No message shows a password, nor text that may be part of one.
/// </summary>
internal static partial class ConnectionStringReader
{
    private const string KeywordForm = "write Keyword=value pairs separated by ';' (Host=db;Port=5432;Database=shop;Username=migrator), " +
        "a value that contains ';' in single quotes (a quote inside it doubled), or a postgresql://user@host:5432/database URI";

    // No example of a quoted password here: the output guard would blank it as a password.
    private const string QuotePassword = "a password that contains ';' must be in single quotes (a quote inside it doubled)";

    // Keywords offered when a given one is close to them: the ones people type.
    private static readonly string[] CommonKeywords =
    [
        "Host", "Port", "Database", "Username", "Password", "SSL Mode", "Root Certificate", "Timeout", "Command Timeout",
        "Application Name", "Search Path", "Keepalive", "Target Session Attributes", "Max Auto Prepare", "Include Error Detail",
        "Gss Encryption Mode", "Passfile", "Options",
    ];

    // The URI's query parameters (libpq's names) and the Npgsql keywords they set.
    private static readonly Dictionary<string, string> UriParameters = new(StringComparer.Ordinal)
    {
        ["sslmode"] = "SSL Mode",
        ["sslrootcert"] = "Root Certificate",
        ["sslcert"] = "SSL Certificate",
        ["sslkey"] = "SSL Key",
        ["application_name"] = "Application Name",
        ["connect_timeout"] = "Timeout",
        ["options"] = "Options",
        ["target_session_attrs"] = "Target Session Attributes",
        ["host"] = "Host",
        ["port"] = "Port",
        ["dbname"] = "Database",
        ["user"] = "Username",
        ["password"] = "Password",
    };

    /// <summary>Whether the text is a URI rather than keywords.</summary>
    public static bool IsUri(string text) =>
        text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase);

    /// <summary>The settings the text gives.</summary>
    /// <exception cref="StepwiseException">A usage error naming what is wrong.</exception>
    public static NpgsqlConnectionStringBuilder Read(string text) => IsUri(text.TrimStart()) ? FromUri(text.Trim()) : FromKeywords(text);

    private static NpgsqlConnectionStringBuilder FromKeywords(string text)
    {
        var given = new DbConnectionStringBuilder();
        try
        {
            given.ConnectionString = text;
        }
        catch (ArgumentException ex)
        {
            var at = StartingAt().Match(ex.Message) is { Success: true } m ? $" from character {int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) + 1}" : "";
            throw Refuse($"The connection string cannot be read{at}: {KeywordForm}.");
        }

        var builder = new NpgsqlConnectionStringBuilder();
        var afterPassword = false;
        foreach (string key in given.Keys)
        {
            // Text without '=' joins the next part's keyword: "Sneaky;Database" for "...;Sneaky;Database=shop".
            var bare = AsWritten(text, key.Split(';')[0].Trim());
            if (key.Contains(';', StringComparison.Ordinal))
            {
                throw Refuse(afterPassword
                    ? $"The connection string has text without '=' after Password: {QuotePassword}."
                    : $"The connection string has '{EchoedInput.Show(bare)}' without '=': {KeywordForm}.");
            }

            Set(builder, AsWritten(text, key), given[key] as string ?? "", afterPassword, "The connection string's");
            afterPassword = IsSecret(key);
        }

        return builder;
    }

    private static NpgsqlConnectionStringBuilder FromUri(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.UserInfo.Length + uri.Host.Length == 0)
        {
            throw Refuse("The connection URI cannot be read: expected postgresql://user:password@host:5432/database?sslmode=verify-full, " +
                "with one host, and '@', ':', '/', '?' or '%' in the user or password written as %40, %3A, %2F, %3F or %25.");
        }

        var builder = new NpgsqlConnectionStringBuilder();
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            }
        }

        if (uri.DnsSafeHost.Length > 0)
        {
            builder.Host = uri.DnsSafeHost;
        }

        if (!uri.IsDefaultPort && uri.Port > 0)
        {
            builder.Port = uri.Port;
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
        {
            builder.Database = database;
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..]);
            if (!UriParameters.TryGetValue(name, out var keyword))
            {
                throw Refuse($"The connection URI's parameter '{EchoedInput.Show(name)}' is not one Stepwise reads: use " +
                    string.Join(", ", UriParameters.Keys) + ", or the keyword form for other Npgsql settings.");
            }

            // libpq writes the modes with '-' (verify-full); Npgsql's names have none (VerifyFull).
            Set(builder, keyword, keyword == "SSL Mode" ? value.Replace("-", "", StringComparison.Ordinal) : value, afterPassword: false,
                $"The connection URI's {name} parameter:");
        }

        return builder;
    }

    private static void Set(NpgsqlConnectionStringBuilder builder, string key, string value, bool afterPassword, string source)
    {
        if (!builder.ContainsKey(key))
        {
            // After a password, an unknown keyword may be the rest of a password with an unquoted ';': never shown.
            throw Refuse(afterPassword
                ? $"The connection string has a keyword Npgsql does not know after Password: {QuotePassword}."
                : $"{source} keyword '{EchoedInput.Show(key)}' is not one Npgsql knows{Suggestion(key)}.");
        }

        try
        {
            builder[key] = value;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            throw Refuse(IsSecret(key)
                ? $"{source} {Canonical(key)} cannot be read."
                : $"{source} {Canonical(key)} '{EchoedInput.Show(value)}' is not a valid value{Expected(key)}.");
        }

        if (SameKeyword(key, "Port") && builder.Port is < 1 or > 65535)
        {
            throw Refuse($"{source} Port '{EchoedInput.Show(value)}' is not a valid value: a whole number from 1 to 65535.");
        }
    }

    // The parser gives keywords in lower case; a message shows them as the user wrote them.
    private static string AsWritten(string text, string key)
    {
        var at = text.IndexOf(key, StringComparison.OrdinalIgnoreCase);
        return at < 0 ? key : text.Substring(at, key.Length);
    }

    /// <summary>Whether two spellings name the same keyword: Npgsql ignores case and spaces (Max Auto Prepare, maxautoprepare).</summary>
    public static bool SameKeyword(string a, string b) => string.Equals(Squeeze(a), Squeeze(b), StringComparison.Ordinal);

    private static string Canonical(string key) => CommonKeywords.FirstOrDefault(k => SameKeyword(k, key)) ?? key.Trim();

    private static string Expected(string key) => Squeeze(key) switch
    {
        "port" => ": a whole number from 1 to 65535",
        "timeout" or "commandtimeout" or "keepalive" or "maxautoprepare" => ": a whole number",
        "sslmode" => ": Disable, Allow, Prefer, Require, VerifyCA or VerifyFull",
        _ => "",
    };

    private static bool IsSecret(string key)
    {
        var squeezed = Squeeze(key);
        return squeezed.Contains("password", StringComparison.Ordinal) || squeezed == "pwd";
    }

    private static string Suggestion(string key)
    {
        var squeezed = Squeeze(key);
        var closest = CommonKeywords.Select(k => (Keyword: k, Distance: Distance(Squeeze(k), squeezed))).MinBy(static c => c.Distance);
        return closest.Distance <= 2 ? $" (did you mean {closest.Keyword}?)" : "; see Npgsql's connection string parameters";
    }

    private static string Squeeze(string key) => key.Replace(" ", "", StringComparison.Ordinal).Trim().ToLowerInvariant();

    // Edit distance, for "did you mean": keywords are short, so the quadratic table is nothing.
    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }

    private static StepwiseException Refuse(string message) => new(FailureKind.Usage, message);

    [GeneratedRegex(@"starting at index (\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex StartingAt();
}
