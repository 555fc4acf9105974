using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;

namespace Stepwise.PostgreSql.Internal;

/// <summary>
/// A second reading of the schema, by <c>pg_dump --schema-only</c> when the machine has a <c>pg_dump</c> as new as the
/// server: each statement of the dump (comments, settings and the dump's random restrict key left out) is a fact. It
/// sees what the catalog queries do not ask about.
/// </summary>
internal sealed partial class SchemaDump
{
    private readonly string _program;
    private readonly NpgsqlConnectionStringBuilder _settings;

    private SchemaDump(string program, NpgsqlConnectionStringBuilder settings)
    {
        _program = program;
        _settings = settings;
    }

    /// <summary>A dumper for the database <paramref name="settings"/> names, or <c>null</c> when no usable <c>pg_dump</c> is found.</summary>
    public static async Task<SchemaDump?> FindAsync(NpgsqlConnectionStringBuilder settings, Version serverVersion, CancellationToken cancellationToken)
    {
        foreach (var candidate in Candidates())
        {
            var (exit, output, _) = await RunAsync(candidate, ["--version"], null, cancellationToken).ConfigureAwait(false);
            if (exit == 0 && VersionOf().Match(output) is { Success: true } match && int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= serverVersion.Major)
            {
                return new SchemaDump(candidate, settings);
            }
        }

        return null;
    }

    /// <summary>The dump's statements, sorted; <c>null</c> when pg_dump failed (the comparison then goes by the catalogs alone).</summary>
    public async Task<IReadOnlyList<string>?> ReadAsync(CancellationToken cancellationToken)
    {
        var (exit, output, _) = await RunAsync(_program,
            ["--schema-only", "--no-password", "--exclude-schema=stepwise", "--exclude-schema=stepwise_backup_*", "--host", _settings.Host!,
             "--port", _settings.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--username", _settings.Username ?? "", _settings.Database!],
            Environment(_settings), cancellationToken).ConfigureAwait(false);
        if (exit != 0)
        {
            return null;
        }

        var statements = new List<string>();
        var statement = new StringBuilder();
        foreach (var line in output.Split('\n'))
        {
            var text = line.TrimEnd();
            if (text.Length == 0 || text.StartsWith("--", StringComparison.Ordinal) || text.StartsWith('\\')
                || (statement.Length == 0 && (text.StartsWith("SET ", StringComparison.Ordinal) || text.StartsWith("SELECT pg_catalog.set_config(", StringComparison.Ordinal))))
            {
                continue;
            }

            statement.Append(statement.Length == 0 ? "" : " ").Append(text.Trim());
            if (text.EndsWith(';'))
            {
                statements.Add("pg_dump: " + statement);
                statement.Clear();
            }
        }

        statements.Sort(StringComparer.Ordinal);
        return statements;
    }

    private static IEnumerable<string> Candidates()
    {
        foreach (var folder in (System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Where(static f => f.Length > 0))
        {
            var path = Path.Combine(folder, "pg_dump");
            if (File.Exists(path))
            {
                yield return path;
            }
        }

        // Debian keeps each major version's programs out of PATH: newest first.
        const string debian = "/usr/lib/postgresql";
        if (Directory.Exists(debian))
        {
            foreach (var path in Directory.GetDirectories(debian).Select(static d => Path.Combine(d, "bin", "pg_dump")).Where(File.Exists).OrderDescending(StringComparer.Ordinal))
            {
                yield return path;
            }
        }
    }

    // The connection's secrets go to the child process's environment only, never to its arguments.
    private static Dictionary<string, string> Environment(NpgsqlConnectionStringBuilder settings)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PGAPPNAME"] = "stepwise verify-rollback",
            ["PGSSLMODE"] = settings.SslMode switch
            {
                SslMode.Disable => "disable",
                SslMode.Allow => "allow",
                SslMode.Require => "require",
                SslMode.VerifyCA => "verify-ca",
                SslMode.VerifyFull => "verify-full",
                _ => "prefer",
            },
        };
        if (!string.IsNullOrEmpty(settings.Password))
        {
            variables["PGPASSWORD"] = settings.Password;
        }

        if (!string.IsNullOrEmpty(settings.RootCertificate))
        {
            variables["PGSSLROOTCERT"] = settings.RootCertificate;
        }

        return variables;
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(string program, IReadOnlyList<string> arguments,
        IReadOnlyDictionary<string, string>? environment, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            return (process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (-1, "", "");
        }
    }

    [GeneratedRegex(@"\(PostgreSQL\) (\d+)")]
    private static partial Regex VersionOf();
}
