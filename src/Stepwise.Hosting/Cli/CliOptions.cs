using System.CommandLine;
using System.Globalization;
using Stepwise.Execution;

namespace Stepwise.Hosting.Cli;

/// <summary>The options of the command line, shared by the commands that take them.</summary>
internal sealed class CliOptions
{
    public Option<string?> Project { get; } = new("--project", "-p")
    {
        Description = "The project to migrate (as in [assembly: MigrationProject]); optional when the runner knows one project.",
        Recursive = true,
    };

    public Option<string?> DatabaseType { get; } = new("--database-type")
    {
        Description = "The database engine. Default: the one spec.databases declares, else the runner's only engine.",
        Recursive = true,
    };

    public Option<string?> Environment { get; } = new("--environment", "-e")
    {
        Description = "The environment recorded with every step (e.g. dev, staging, production). Default: STEPWISE_ENVIRONMENT.",
        Recursive = true,
    };

    public Option<string?> Connection { get; } = new("--connection")
    {
        Description = "Npgsql connection string. Default: STEPWISE_CONNECTION, else DB_HOST, DB_PORT, DB_NAME, DB_USER, DB_PASSWORD.",
        Recursive = true,
    };

    public Option<TimeSpan> LockTimeout { get; } = new("--lock-timeout")
    {
        Description = "How long to wait for another runner holding the project's lock (e.g. 300, 90s, 5m).",
        DefaultValueFactory = static _ => TimeSpan.FromMinutes(5),
        CustomParser = static r => ParseDuration(r),
        Recursive = true,
    };

    public Option<TimeSpan?> CommandTimeout { get; } = new("--command-timeout")
    {
        Description = "Limit for each migration statement (e.g. 600, 10m). Default: none.",
        CustomParser = static r => ParseDuration(r),
        Recursive = true,
    };

    public Option<string> Output { get; } = new("--output", "-o")
    {
        Description = "Result format.",
        DefaultValueFactory = static _ => "text",
        Recursive = true,
    };

    public Option<string?> LogFormat { get; } = new("--log-format")
    {
        Description = "Log format on standard error: text, or json (the default inside Kubernetes).",
        Recursive = true,
    };

    public Option<string?> LogLevel { get; } = new("--log-level")
    {
        Description = "Least severe log level written: trace, debug, information (default), warning, error, critical or none. " +
            "Logging__LogLevel__<category> variables set it per category.",
        Recursive = true,
    };

    public Option<string[]> Assembly { get; } = new("--assembly", "-a")
    {
        Description = "A migrations assembly to load (repeatable).",
        AllowMultipleArgumentsPerToken = false,
        Recursive = true,
    };

    public Option<string[]> AssemblyDir { get; } = new("--assembly-dir")
    {
        Description = "A folder whose assemblies carrying [assembly: MigrationProject] are loaded (repeatable).",
        Recursive = true,
    };

    public Option<string?> Config { get; } = new("--config")
    {
        Description = "A project-config.yaml to use instead of the one embedded in the migrations assembly.",
        Recursive = true,
    };

    public Option<string?> Version { get; } = new("--version", "-v")
    {
        Description = "The version to reach (semver, with or without 'v'). Install and upgrade default to the newest version.",
    };

    public Argument<string?> PlanOperation { get; } = new("operation")
    {
        Description = "install, upgrade, rollback or migrate. Default: the one the database's state calls for (install when empty, else upgrade or rollback to --version).",
        Arity = ArgumentArity.ZeroOrOne,
    };

    /// <summary>--version before the command: refused with the two forms it may have meant.</summary>
    public Option<string?> MisplacedVersion { get; } = new("--version", "-v")
    {
        Hidden = true,
        Arity = ArgumentArity.ZeroOrOne,
    };

    public const string MisplacedVersionError =
        "--version goes after the command and names the version to reach (e.g. 'upgrade --version 1.1.0'); the runner's own version is printed by 'version'";

    public Option<string?> FromVersion { get; } = new("--from-version")
    {
        Description = "Assert the version the database is at; refuse to run if it is at another.",
    };

    public Option<bool> DryRun { get; } = new("--dry-run")
    {
        Description = "Print the plan and change nothing.",
    };

    public Option<bool> DeferPostUpgrade { get; } = new("--defer-post-upgrade")
    {
        Description = "Leave the target version's post-upgrade migrations to the next run (the post-deployment hook): the version is recorded without them.",
    };

    public Option<string?> MinVersion { get; } = new("--min-version")
    {
        Description = "The version the database must have reached (semver).",
        Required = true,
    };

    public Option<TimeSpan> WaitTimeout { get; } = new("--timeout")
    {
        Description = "How long to wait (e.g. 300, 10m). Default 10m.",
        DefaultValueFactory = static _ => TimeSpan.FromMinutes(10),
        CustomParser = static r => ParseDuration(r),
    };

    public Option<string?> Image { get; } = new("--image")
    {
        Description = "The runner image the Job runs (e.g. registry.example.test/shop/migrations:2.0.0).",
        Required = true,
    };

    public Option<string> Hook { get; } = new("--hook")
    {
        Description = "pre (migrate before the release, post-upgrade deferred), post (the deferred post-upgrade migrations) or none (one plain Job).",
        DefaultValueFactory = static _ => "pre",
    };

    public Option<bool> ArgoCd { get; } = new("--argocd")
    {
        Description = "Annotate the Job as an Argo CD PreSync/PostSync hook instead of a Helm hook.",
    };

    public Option<string?> Secret { get; } = new("--secret")
    {
        Description = "The Secret with the connection (keys host, port, database, username, password). Default: <project>-db.",
    };

    public Option<bool> AllowDrift { get; } = new("--allow-drift")
    {
        Description = "Run even though applied migrations differ from the code.",
    };

    public Option<bool> All { get; } = new("--all")
    {
        Description = "List every project the database records.",
    };

    public Option<int> Limit { get; } = new("--limit")
    {
        Description = "How many entries to show, newest first (1 to 100000).",
        DefaultValueFactory = static _ => 50,
        CustomParser = static r => ParseLimit(r),
    };

    public Option<string?> Since { get; } = new("--since")
    {
        Description = "Only runs started since then: a time (2026-11-30, 2026-11-30T08:00Z; UTC unless it says otherwise) or a time ago (90m, 24h, 7d).",
    };

    public Option<string?> Outcome { get; } = new("--outcome")
    {
        Description = "Only runs that ended so: succeeded, failed or interrupted; or running.",
    };

    public Option<string?> RunId { get; } = new("--run-id")
    {
        Description = "Only the run with this id, or whose id starts with these digits (at least 8, as 'history' shows them).",
    };

    /// <summary>The longest duration an option takes: what a timer can wait, about 24 days.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromMilliseconds(int.MaxValue);

    public CliOptions()
    {
        DatabaseType.AcceptOnlyFromAmong([.. KnownEngines.Types]);
        Output.AcceptOnlyFromAmong("text", "json");
        LogFormat.AcceptOnlyFromAmong("text", "json");
        LogLevel.AcceptOnlyFromAmong("trace", "debug", "information", "warning", "error", "critical", "none");
        Hook.AcceptOnlyFromAmong("pre", "post", "none");
        PlanOperation.AcceptOnlyFromAmong("install", "upgrade", "rollback", "migrate");
        Outcome.AcceptOnlyFromAmong([.. AuditQuery.Outcomes]);
    }

    private static int ParseLimit(System.CommandLine.Parsing.ArgumentResult result)
    {
        var text = result.Tokens.Count == 0 ? "" : result.Tokens[0].Value.Trim();
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit is >= 1 and <= 100_000)
        {
            return limit;
        }

        result.AddError($"--limit takes a whole number from 1 to 100000, not '{EchoedInput.Show(text)}'.");
        return 0;
    }

    // Accepts plain seconds (300), a unit suffix (90s, 5m, 1h, 2d) or a TimeSpan (00:05:00), up to MaxDuration.
    private static TimeSpan ParseDuration(System.CommandLine.Parsing.ArgumentResult result)
    {
        var option = result.Parent is System.CommandLine.Parsing.OptionResult parent ? parent.Option.Name : "The duration";
        var text = result.Tokens.Count == 0 ? "" : result.Tokens[0].Value.Trim();
        var (number, scale) = text.Length > 0 && char.IsLetter(text[^1])
            ? (text[..^1], text[^1] switch { 's' => 1d, 'm' => 60d, 'h' => 3600d, 'd' => 86400d, _ => double.NaN })
            : (text, 1d);
        double? seconds = null;
        if (!double.IsNaN(scale) && double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0)
        {
            seconds = value * scale;
        }
        else if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) && span >= TimeSpan.Zero)
        {
            seconds = span.TotalSeconds;
        }

        if (seconds is null || double.IsNaN(seconds.Value))
        {
            result.AddError($"{option}: '{EchoedInput.Show(text)}' is not a duration: use seconds (300), 90s, 5m, 1h, 2d or 00:05:00.");
            return TimeSpan.Zero;
        }

        // Compared as seconds before any TimeSpan exists: 1e300 seconds would overflow it.
        if (seconds.Value > MaxDuration.TotalSeconds)
        {
            result.AddError($"{option}: '{EchoedInput.Show(text)}' is too long; the most it takes is 24d.");
            return TimeSpan.Zero;
        }

        return TimeSpan.FromSeconds(seconds.Value);
    }
}
