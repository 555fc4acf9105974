using System.Globalization;
using Stepwise.Execution;

namespace Stepwise.Hosting.Cli;

/// <summary>
/// Finds the database: <c>--connection</c>, else <c>STEPWISE_CONNECTION</c> (or the file <c>STEPWISE_CONNECTION_FILE</c>
/// names), else <c>DB_HOST</c>/<c>DB_PORT</c>/<c>DB_NAME</c>/<c>DB_USER</c> with <c>DB_PASSWORD</c> (or the file
/// <c>DB_PASSWORD_FILE</c> names): the variables the Job template sets from a Kubernetes Secret, or the files it mounts.
/// </summary>
internal static class ConnectionResolver
{
    public static DatabaseEndpoint Resolve(string? connection, Func<string, string?> environment, int defaultPort)
    {
        // DB_SSLMODE and DB_SSLROOTCERT hold whichever way the connection is given (the chart sets them from its tls values).
        var tls = NullIfBlank(environment("DB_SSLMODE"));
        var rootCertificate = NullIfBlank(environment("DB_SSLROOTCERT"));
        if (!string.IsNullOrWhiteSpace(connection))
        {
            return new DatabaseEndpoint { ConnectionString = connection, Origin = "--connection", TlsMode = tls, RootCertificate = rootCertificate };
        }

        var fromEnvironment = Secret("STEPWISE_CONNECTION", environment);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            var origin = string.IsNullOrEmpty(environment("STEPWISE_CONNECTION_FILE")) ? "STEPWISE_CONNECTION" : "the file STEPWISE_CONNECTION_FILE names";
            return new DatabaseEndpoint { ConnectionString = fromEnvironment, Origin = origin, TlsMode = tls, RootCertificate = rootCertificate };
        }

        // Where a Job's variables come from (the chart names its Secret): said when they are missing, since a Secret that
        // does not exist, or lacks a key, shows as exactly that.
        var source = NullIfBlank(environment("STEPWISE_CONNECTION_SOURCE")) is { } named ? $" The Job reads them from {EchoedInput.Show(named)}: check that it exists and has these keys." : "";
        var host = environment("DB_HOST");
        if (string.IsNullOrWhiteSpace(host))
        {
            throw new StepwiseException(FailureKind.Usage,
                $"No database connection: pass --connection, or set STEPWISE_CONNECTION, or DB_HOST, DB_NAME, DB_USER and DB_PASSWORD (DB_PORT defaults to {defaultPort})." + source);
        }

        var missing = new[] { "DB_NAME", "DB_USER" }.Where(name => string.IsNullOrWhiteSpace(environment(name))).ToArray();
        if (missing.Length > 0)
        {
            throw new StepwiseException(FailureKind.Usage,
                $"DB_HOST is set but {string.Join(" and ", missing)} {(missing.Length == 1 ? "is" : "are")} not; set them too." + source);
        }

        int? port = null;
        var portText = environment("DB_PORT");
        if (!string.IsNullOrWhiteSpace(portText))
        {
            if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed is < 1 or > 65535)
            {
                throw new StepwiseException(FailureKind.Usage, $"DB_PORT must be a port number (1-65535), not '{EchoedInput.Show(portText)}'.");
            }

            port = parsed;
        }

        return new DatabaseEndpoint
        {
            Host = host,
            Port = port,
            Database = environment("DB_NAME"),
            User = environment("DB_USER"),
            Password = Secret("DB_PASSWORD", environment),
            TlsMode = tls,
            RootCertificate = rootCertificate,
        };
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    // A secret from its variable, or from the file NAME_FILE names (a mounted Secret): never both, and a file that cannot
    // be read is named, never quoted.
    private static string? Secret(string name, Func<string, string?> environment)
    {
        var value = environment(name);
        var file = environment(name + "_FILE");
        if (string.IsNullOrEmpty(file))
        {
            return value;
        }

        if (!string.IsNullOrEmpty(value))
        {
            throw new StepwiseException(FailureKind.Usage, $"Both {name} and {name}_FILE are set; set one of them.");
        }

        try
        {
            // A trailing line break is the file's, not the secret's (echo > file, or a Secret written by hand).
            return File.ReadAllText(file).TrimEnd('\r', '\n');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StepwiseException(FailureKind.Usage,
                $"{name}_FILE names '{EchoedInput.Show(file)}', which cannot be read ({ex.GetType().Name}). Check the Secret's volume mount and the file's permissions.");
        }
    }
}
