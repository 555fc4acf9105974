using System.Net.Sockets;
using Npgsql;
using Stepwise.Configuration;
using Stepwise.Execution;

namespace Stepwise.PostgreSql.Internal;

/// <summary>Turns an endpoint into Npgsql settings, and connection failures into messages that say what to check.</summary>
internal static class ConnectionSettings
{
    public const int DefaultPort = 5432;

    public static NpgsqlConnectionStringBuilder Build(DatabaseEndpoint endpoint, string applicationName, TimeSpan? commandTimeout)
    {
        NpgsqlConnectionStringBuilder builder;
        if (endpoint.ConnectionString is not null)
        {
            builder = ConnectionStringReader.Read(endpoint.ConnectionString);
        }
        else
        {
            builder = new NpgsqlConnectionStringBuilder
            {
                Host = endpoint.Host,
                Port = endpoint.Port ?? DefaultPort,
                Database = endpoint.Database,
                Username = endpoint.User,
                Password = endpoint.Password,
            };
        }

        if (endpoint.TlsMode is { } mode)
        {
            builder.SslMode = Enum.TryParse<SslMode>(mode.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var sslMode) && Enum.IsDefined(sslMode)
                ? sslMode
                : throw new StepwiseException(FailureKind.Usage,
                    $"DB_SSLMODE '{EchoedInput.Show(mode)}' is not an SSL mode; use Disable, Allow, Prefer, Require, VerifyCA or VerifyFull.");
        }

        if (endpoint.RootCertificate is { } rootCertificate)
        {
            builder.RootCertificate = rootCertificate;
        }

        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            throw new StepwiseException(FailureKind.Usage, $"The connection names no host: set {Setting(endpoint, "DB_HOST", "Host")}.");
        }

        if (string.IsNullOrWhiteSpace(builder.Database))
        {
            throw new StepwiseException(FailureKind.Usage,
                $"The connection names no database: set {Setting(endpoint, "DB_NAME", endpoint.ConnectionString is { } given && ConnectionStringReader.IsUri(given.TrimStart()) ? "the URI's path (/database)" : "Database")}.");
        }

        builder.ApplicationName ??= applicationName;

        // A migration on a large table may legitimately run for a long time: no statement limit unless one is asked for.
        // One limit for every statement also spares Npgsql resetting the socket timeout between commands.
        builder.CommandTimeout = commandTimeout is { } limit ? (int)Math.Ceiling(limit.TotalSeconds) : 0;

        // The runner holds two connections (work and lock) for the whole run; a pool would only keep them longer.
        builder.Pooling = false;

        // A run repeats a handful of statements on every step (the checks' queries, the bookkeeping). Prepared after their
        // second use, the server stops parsing and planning them again: 5-13 % of a 500-migration apply. A
        // migration's own statements run once and stay unprepared. A connection string that sets Max Auto Prepare keeps
        // its value: 0 turns this off, e.g. behind a pooler that cannot hold prepared statements.
        if (!Sets(builder, "MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = AutoPreparedStatements;
            builder.AutoPrepareMinUsages = 2;
        }

        // A migration's script is sent as one command; Npgsql then says which of its statements the server refused, and
        // the step's failure names it (MigrationStatements). A connection string that sets it keeps its value.
        if (!Sets(builder, "IncludeFailedBatchedCommand"))
        {
            builder.IncludeFailedBatchedCommand = true;
        }

        // Npgsql prefers GSSAPI encryption, which loads libgssapi_krb5 at every open: a minimal runner image lacks it,
        // and .NET then writes "Cannot load library" to standard error, in the middle of JSON logs. Kerberos users say
        // so in the connection string (Gss Encryption Mode=Prefer or Require), which keeps its value.
        if (!Sets(builder, "GssEncryptionMode"))
        {
            builder.GssEncryptionMode = GssEncryptionMode.Disable;
        }

        return builder;
    }

    /// <summary>
    /// Refuses, before anything is sent, a connection less protected than the environment's profile asks: an SSL Mode
    /// that may fall back to plain text (Disable, Allow, Prefer) or that does not check the certificate far enough.
    /// </summary>
    public static void RequireTls(NpgsqlConnectionStringBuilder builder, EnvironmentProfile profile)
    {
        var given = builder.SslMode switch
        {
            SslMode.Require => TlsRequirement.Encrypted,
            SslMode.VerifyCA => TlsRequirement.VerifyAuthority,
            SslMode.VerifyFull => TlsRequirement.VerifyFull,
            _ => TlsRequirement.None,
        };
        if (given < profile.RequireTls)
        {
            var wanted = profile.RequireTls switch
            {
                TlsRequirement.Encrypted => "Require",
                TlsRequirement.VerifyAuthority => "VerifyCA",
                _ => "VerifyFull",
            };
            throw new StepwiseException(FailureKind.Usage,
                $"This environment requires TLS {wanted} ({profile.Source}), but the connection uses SSL Mode={builder.SslMode}. " +
                $"Set SSL Mode={wanted}{(profile.RequireTls >= TlsRequirement.VerifyAuthority ? " and Root Certificate=<the CA's certificate file>" : "")} in the connection string; nothing was sent to the server.");
        }
    }

    /// <summary>How many statements the runner keeps prepared per connection when the connection string does not say.</summary>
    public const int AutoPreparedStatements = 16;

    // Whether the connection string itself set the keyword: the builder lists the keywords given, by their Npgsql names.
    private static bool Sets(NpgsqlConnectionStringBuilder builder, string keyword) =>
        builder.Keys.Any(key => ConnectionStringReader.SameKeyword(key, keyword));

    public static string Describe(NpgsqlConnectionStringBuilder builder) => $"{Server(builder)}, database '{EchoedInput.Show(builder.Database)}'";

    private static string Server(NpgsqlConnectionStringBuilder builder) => $"PostgreSQL at {EchoedInput.Show(builder.Host)}:{builder.Port}";

    /// <summary>A failure to connect, as a message that says what to check and where to correct it.</summary>
    public static StepwiseException Explain(Exception ex, NpgsqlConnectionStringBuilder builder, DatabaseEndpoint endpoint)
    {
        var server = Server(builder);
        var where = Describe(builder);
        return ex switch
        {
            PostgresException { SqlState: PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification } pg =>
                new StepwiseException(FailureKind.Connection,
                    $"{where} refused the credentials of user '{EchoedInput.Show(builder.Username)}' ({pg.MessageText}). " +
                    $"Check {Setting(endpoint, "DB_USER and DB_PASSWORD (or DB_PASSWORD_FILE)", "Username and Password")}.", ex),
            PostgresException { SqlState: PostgresErrorCodes.InvalidCatalogName } =>
                new StepwiseException(FailureKind.Connection,
                    $"{server} has no database named '{EchoedInput.Show(builder.Database)}'. Create it first (Stepwise migrates a database, it does not " +
                    $"create one), or correct {Setting(endpoint, "DB_NAME", "Database")}.", ex),
            PostgresException pg =>
                new StepwiseException(FailureKind.Connection, $"{where} refused the connection: {pg.SqlState} {pg.MessageText}.", ex),
            _ when PostgresFailures.Find<System.Security.Authentication.AuthenticationException>(ex) is { } tls =>
                new StepwiseException(FailureKind.Connection,
                    $"{where} did not prove who it is (SSL Mode={builder.SslMode}): {FirstSentence(tls.Message)}. Check Root Certificate (the CA that signed " +
                    "the server's certificate) and that Host is a name the certificate was issued for; the connection was refused before any credential was sent.", ex),
            _ when PostgresFailures.Find<SocketException>(ex) is { } socket =>
                new StepwiseException(FailureKind.Connection,
                    $"Cannot reach {where}: {InWords(socket.SocketErrorCode)}. Check {Setting(endpoint, "DB_HOST and DB_PORT", "Host and Port")} " +
                    "and that the server accepts connections from here.", ex),
            _ when PostgresFailures.Find<TimeoutException>(ex) is not null =>
                new StepwiseException(FailureKind.Connection,
                    $"Timed out connecting to {where}. Check {Setting(endpoint, "DB_HOST and DB_PORT", "Host and Port")} and the network policy between the runner and the database.", ex),
            _ => new StepwiseException(FailureKind.Connection, $"Cannot connect to {where}: {FirstSentence(ex.Message)}", ex),
        };
    }

    // Where the user corrects a setting: the variable that gave it, or the keyword in the connection string they passed.
    private static string Setting(DatabaseEndpoint endpoint, string variables, string keywords) =>
        endpoint.ConnectionString is null ? variables : $"{keywords} in {endpoint.Origin ?? "the connection string"}";

    private static string InWords(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => "connection refused (nothing listens on that port, or a firewall rejects it)",
        SocketError.HostNotFound or SocketError.NoData => "no such host name",
        SocketError.TryAgain => "the host name could not be resolved now",
        SocketError.TimedOut => "no answer in time",
        SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.HostDown or SocketError.NetworkDown => "no route to the host",
        SocketError.ConnectionReset or SocketError.ConnectionAborted => "the connection was closed by the other side",
        SocketError.AccessDenied => "access denied",
        _ => Spaced(error.ToString()),
    };

    // "AddressNotAvailable" reads as "address not available".
    private static string Spaced(string name) =>
        string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) ? " " + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return (end < 0 ? message : message[..end]).TrimEnd('.');
    }
}
