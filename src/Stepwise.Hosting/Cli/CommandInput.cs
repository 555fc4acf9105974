using System.CommandLine;
using Microsoft.Extensions.Logging;
using Stepwise.Catalog;
using Stepwise.Execution;
using Stepwise.Planning;
using Stepwise.Versioning;

namespace Stepwise.Hosting.Cli;

/// <summary>The parsed and checked arguments of one command: every usage error is found here, before any database work.</summary>
internal sealed record CommandInput(
    CommandKind Kind,
    string? Project,
    string? DatabaseType,
    string? Environment,
    string? Connection,
    string? ConfigPath,
    TimeSpan LockTimeout,
    TimeSpan? CommandTimeout,
    bool Json,
    bool JsonLogs,
    LogLevel? LogLevel,
    ProjectVersion? Version,
    ProjectVersion? FromVersion,
    bool DryRun,
    bool AllowDrift,
    bool DeferPostUpgrade,
    ProjectVersion? MinVersion,
    TimeSpan WaitTimeout,
    string? Image,
    string Hook,
    bool ArgoCd,
    string? Secret,
    bool All,
    int Limit,
    IReadOnlyList<string> Assemblies,
    IReadOnlyList<string> AssemblyDirs,
    Operation? PlanOperation,
    AuditQuery? Audit)
{
    public static CommandInput From(ParseResult parse, CommandKind kind, CliOptions options, Func<string, string?> environment)
    {
        var project = parse.GetValue(options.Project);
        if (project is not null && !MigrationDiscovery.IsValidProjectName(project))
        {
            throw new StepwiseException(FailureKind.Usage,
                $"'{EchoedInput.Show(project)}' is not a project name: use lower-case letters, digits, '-', '_' or '.', as in [assembly: MigrationProject].");
        }

        var logFormat = parse.GetValue(options.LogFormat)
            ?? (string.IsNullOrEmpty(environment("KUBERNETES_SERVICE_HOST")) ? "text" : "json");

        var environmentName = EnvironmentName(parse.GetValue(options.Environment), environment("STEPWISE_ENVIRONMENT"));
        return new CommandInput(
            kind,
            project,
            parse.GetValue(options.DatabaseType),
            environmentName,
            parse.GetValue(options.Connection),
            parse.GetValue(options.Config),
            parse.GetValue(options.LockTimeout),
            parse.GetValue(options.CommandTimeout),
            parse.GetValue(options.Output) == "json",
            logFormat == "json",
            ParseLogLevel(parse.GetValue(options.LogLevel)),
            ParseVersion(parse, options.Version, "--version"),
            ParseVersion(parse, options.FromVersion, "--from-version"),
            parse.GetValue(options.DryRun),
            parse.GetValue(options.AllowDrift),
            parse.GetValue(options.DeferPostUpgrade),
            ParseVersion(parse, options.MinVersion, "--min-version"),
            parse.GetValue(options.WaitTimeout),
            parse.GetValue(options.Image),
            parse.GetValue(options.Hook) ?? "pre",
            parse.GetValue(options.ArgoCd),
            parse.GetValue(options.Secret),
            parse.GetValue(options.All),
            parse.GetValue(options.Limit),
            parse.GetValue(options.Assembly) ?? [],
            parse.GetValue(options.AssemblyDir) ?? [],
            // The parser accepts only the operations' own names, in lower case.
            parse.GetValue(options.PlanOperation) is { } operation ? Enum.Parse<Operation>(operation, ignoreCase: true) : null,
            // The audit filter is --environment as given: STEPWISE_ENVIRONMENT, set in a pod, would hide other environments silently.
            kind == CommandKind.Audit ? AuditFilters.From(parse, options, project, EnvironmentName(parse.GetValue(options.Environment), null), TimeProvider.System) : null);
    }

    private static ProjectVersion? ParseVersion(ParseResult parse, Option<string?> option, string name)
    {
        var text = parse.GetValue(option);
        if (text is null)
        {
            return null;
        }

        return ProjectVersion.TryParse(text, out var version, out var error)
            ? version
            : throw new StepwiseException(FailureKind.Usage, $"{name}: {error}.");
    }

    // Recorded with every run and step, and matched by policies: a name, not free text.
    private static string? EnvironmentName(string? option, string? variable)
    {
        var (name, source) = option is not null ? (option, "--environment") : (NullIfEmpty(variable), "STEPWISE_ENVIRONMENT");
        if (name is null)
        {
            return null;
        }

        if (name.Length is 0 or > 64 || !name.All(static c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new StepwiseException(FailureKind.Usage,
                $"{source}: '{EchoedInput.Show(name)}' is not an environment name: use 1 to 64 letters, digits, '-', '_' or '.' (e.g. production, staging-eu).");
        }

        return name;
    }

    private static LogLevel? ParseLogLevel(string? text) => text switch
    {
        null => null,
        "trace" => Microsoft.Extensions.Logging.LogLevel.Trace,
        "debug" => Microsoft.Extensions.Logging.LogLevel.Debug,
        "information" => Microsoft.Extensions.Logging.LogLevel.Information,
        "warning" => Microsoft.Extensions.Logging.LogLevel.Warning,
        "error" => Microsoft.Extensions.Logging.LogLevel.Error,
        "critical" => Microsoft.Extensions.Logging.LogLevel.Critical,
        _ => Microsoft.Extensions.Logging.LogLevel.None,
    };

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
