using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using MongoDB.Driver;
using Stepwise.Configuration;
using Stepwise.Execution;

namespace Stepwise.MongoDb.Internal;

/// <summary>Turns an endpoint into driver settings: a <c>mongodb://</c> or <c>mongodb+srv://</c> URL, or the <c>DB_*</c> parts.</summary>
internal static class MongoSettings
{
    public const int DefaultPort = 27017;

    /// <summary>Where users given by <c>DB_USER</c> are defined when nothing says otherwise: the server's <c>admin</c> database.</summary>
    public const string DefaultAuthSource = "admin";

    /// <summary>The settings, and the database the migrations run in.</summary>
    public sealed record Resolved(MongoClientSettings Client, string Database, string Described, TlsRequirement Tls);

    public static Resolved Build(DatabaseEndpoint endpoint, string applicationName, TimeSpan? commandTimeout)
    {
        var url = endpoint.ConnectionString is { } given ? Parse(given, endpoint) : FromParts(endpoint);
        var builder = new MongoUrlBuilder(url.ToString());
        if (endpoint.TlsMode is { } mode)
        {
            ApplyTlsMode(builder, mode);
        }

        if (endpoint.RootCertificate is not null)
        {
            // A CA to verify the server with means TLS, whether or not the URL says so.
            builder.UseTls = true;
        }

        var database = builder.DatabaseName;
        if (string.IsNullOrWhiteSpace(database))
        {
            throw new StepwiseException(FailureKind.Usage,
                $"The connection names no database: set {(endpoint.ConnectionString is null ? "DB_NAME" : $"the URL's path (mongodb://host/database) in {endpoint.Origin ?? "the connection string"}")}.");
        }

        builder.ApplicationName ??= applicationName;
        var settings = MongoClientSettings.FromUrl(builder.ToMongoUrl());
        if (endpoint.RootCertificate is { } caFile)
        {
            TrustOnly(settings, caFile, verifyHost: endpoint.TlsMode is not { } tlsMode || Normalized(tlsMode) != "verifyca");
        }

        // A step on a large collection may legitimately run for a long time: no limit unless one is asked for, and then
        // it bounds each wait for the server's reply.
        if (commandTimeout is { } limit)
        {
            settings.SocketTimeout = limit;
        }

        return new Resolved(settings, database, Describe(builder), LevelOf(builder));
    }

    /// <summary>Where the session is connected, for messages: hosts and database, never credentials.</summary>
    public static string Describe(MongoUrlBuilder builder)
    {
        var hosts = builder.Scheme == MongoDB.Driver.Core.Configuration.ConnectionStringScheme.MongoDBPlusSrv
            ? $"{EchoedInput.Show(builder.Server?.Host)} (SRV)"
            : string.Join(",", (builder.Servers ?? []).Select(static s => $"{EchoedInput.Show(s.Host)}:{s.Port}"));
        return $"MongoDB at {hosts}, database '{EchoedInput.Show(builder.DatabaseName)}'";
    }

    /// <summary>Refuses a connection weaker than the environment's <c>require_tls</c>, before anything is sent.</summary>
    public static void RequireTls(Resolved settings, EnvironmentProfile profile)
    {
        if (settings.Tls >= profile.RequireTls)
        {
            return;
        }

        var wanted = profile.RequireTls switch
        {
            TlsRequirement.Encrypted => "tls=true",
            _ => "tls=true without tlsInsecure",
        };
        throw new StepwiseException(FailureKind.Usage,
            $"This environment requires TLS {profile.RequireTls} ({profile.Source}), but the connection to {settings.Described} does not give it. " +
            $"Set {wanted} in the URL (or DB_SSLMODE){(profile.RequireTls >= TlsRequirement.VerifyAuthority ? ", and DB_SSLROOTCERT for a private CA" : "")}; nothing was sent to the server.");
    }

    public static TlsRequirement LevelOf(MongoUrlBuilder builder) => (builder.UseTls, builder.AllowInsecureTls) switch
    {
        (false, _) => TlsRequirement.None,
        (true, true) => TlsRequirement.Encrypted,
        _ => TlsRequirement.VerifyFull,
    };

    private static MongoUrl Parse(string given, DatabaseEndpoint endpoint)
    {
        var trimmed = given.Trim();
        if (!trimmed.StartsWith("mongodb://", StringComparison.OrdinalIgnoreCase) && !trimmed.StartsWith("mongodb+srv://", StringComparison.OrdinalIgnoreCase))
        {
            throw new StepwiseException(FailureKind.Usage,
                $"{endpoint.Origin ?? "The connection string"} is not a MongoDB URL: give mongodb://user:password@host:27017/database (or mongodb+srv://…) for --database-type mongodb.");
        }

        try
        {
            return new MongoUrl(trimmed);
        }
        catch (Exception ex) when (ex is MongoConfigurationException or ArgumentException or FormatException)
        {
            // The driver's message may quote the URL, password included: say only where to look.
            throw new StepwiseException(FailureKind.Usage,
                $"{endpoint.Origin ?? "The connection string"} is not a valid MongoDB URL ({ex.GetType().Name}). Check its host list, port and options; " +
                "a password with '@', ':' or '/' must be percent-encoded.");
        }
    }

    private static MongoUrl FromParts(DatabaseEndpoint endpoint)
    {
        if (string.IsNullOrWhiteSpace(endpoint.Host))
        {
            throw new StepwiseException(FailureKind.Usage, "The connection names no host: set DB_HOST, or give a mongodb:// URL with --connection or STEPWISE_CONNECTION.");
        }

        var builder = new MongoUrlBuilder
        {
            Server = new MongoServerAddress(endpoint.Host, endpoint.Port ?? DefaultPort),
            DatabaseName = endpoint.Database,
        };
        if (!string.IsNullOrEmpty(endpoint.User))
        {
            builder.Username = endpoint.User;
            builder.Password = endpoint.Password;
            builder.AuthenticationSource = DefaultAuthSource;
        }

        return builder.ToMongoUrl();
    }

    // The same words as for PostgreSQL (DB_SSLMODE), in MongoDB's options.
    private static void ApplyTlsMode(MongoUrlBuilder builder, string mode)
    {
        switch (Normalized(mode))
        {
            case "disable":
                builder.UseTls = false;
                break;
            case "require":
                builder.UseTls = true;
                builder.AllowInsecureTls = true;
                break;
            case "verifyca":
            case "verifyfull":
                builder.UseTls = true;
                builder.AllowInsecureTls = false;
                break;
            default:
                throw new StepwiseException(FailureKind.Usage,
                    $"DB_SSLMODE '{EchoedInput.Show(mode)}' is not a TLS mode; use disable, require, verify-ca or verify-full.");
        }
    }

    private static string Normalized(string mode) => mode.Trim().Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();

    // A private CA (DB_SSLROOTCERT): the server's certificate must chain to it, and name the host unless told otherwise.
    private static void TrustOnly(MongoClientSettings settings, string caFile, bool verifyHost)
    {
        X509Certificate2 authority;
        try
        {
            authority = X509CertificateLoader.LoadCertificateFromFile(caFile);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new StepwiseException(FailureKind.Usage, $"DB_SSLROOTCERT '{EchoedInput.Show(caFile)}' cannot be read as a certificate ({ex.GetType().Name}).");
        }

        settings.UseTls = true;
        settings.SslSettings = new SslSettings
        {
            ServerCertificateValidationCallback = (_, certificate, presentedChain, errors) =>
            {
                if (certificate is null || (verifyHost && errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch)))
                {
                    return false;
                }

                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(authority);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;

                // Intermediate certificates the server sent with its own.
                if (presentedChain is not null)
                {
                    foreach (var element in presentedChain.ChainElements)
                    {
                        chain.ChainPolicy.ExtraStore.Add(element.Certificate);
                    }
                }

                using var presented = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                return chain.Build(presented);
            },
        };
    }
}
