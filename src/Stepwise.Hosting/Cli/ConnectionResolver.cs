using System.Globalization;
using Stepwise.Execution;

namespace Stepwise.Hosting.Cli;

/// <summary>
/// Finds the database: <c>--connection</c>, else <c>STEPWISE_CONNECTION</c>, else <c>DB_HOST</c>/<c>DB_PORT</c>/<c>DB_NAME</c>/<c>DB_USER</c>/<c>DB_PASSWORD</c>
/// (the variables the original Job template sets from a Kubernetes Secret).
/// </summary>
internal static class ConnectionResolver
{
    public static DatabaseEndpoint Resolve(string? connection, Func<string, string?> environment)
    {
        if (!string.IsNullOrWhiteSpace(connection))
        {
            return new DatabaseEndpoint { ConnectionString = connection };
        }

        var fromEnvironment = environment("STEPWISE_CONNECTION");
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return new DatabaseEndpoint { ConnectionString = fromEnvironment };
        }

        var host = environment("DB_HOST");
        if (string.IsNullOrWhiteSpace(host))
        {
            throw new StepwiseException(FailureKind.Usage,
                "No database connection: pass --connection, or set STEPWISE_CONNECTION, or DB_HOST, DB_NAME, DB_USER and DB_PASSWORD (DB_PORT defaults to 5432).");
        }

        var missing = new[] { "DB_NAME", "DB_USER" }.Where(name => string.IsNullOrWhiteSpace(environment(name))).ToArray();
        if (missing.Length > 0)
        {
            throw new StepwiseException(FailureKind.Usage, $"DB_HOST is set but {string.Join(" and ", missing)} {(missing.Length == 1 ? "is" : "are")} not; set them too.");
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
            Password = environment("DB_PASSWORD"),
        };
    }
}
