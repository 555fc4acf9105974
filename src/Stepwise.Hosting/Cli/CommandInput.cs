using System.CommandLine;
using Stepwise.Catalog;
using Stepwise.Versioning;

namespace Stepwise.Hosting.Cli;

/// <summary>The parsed and checked arguments of one command: every usage error is found here, before any database work.</summary>
internal sealed record CommandInput(
    CommandKind Kind,
    string? Project,
    string DatabaseType,
    string? Environment,
    string? Connection,
    string? ConfigPath,
    TimeSpan LockTimeout,
    TimeSpan? CommandTimeout,
    bool Json,
    bool JsonLogs,
    ProjectVersion? Version,
    ProjectVersion? FromVersion,
    bool DryRun,
    bool AllowDrift,
    bool All,
    int Limit,
    IReadOnlyList<string> Assemblies,
    IReadOnlyList<string> AssemblyDirs)
{
    public static CommandInput From(ParseResult parse, CommandKind kind, CliOptions options, Func<string, string?> environment)
    {
        var project = parse.GetValue(options.Project);
        if (project is not null && !MigrationDiscovery.IsValidProjectName(project))
        {
            throw new StepwiseException(FailureKind.Usage,
                $"'{project}' is not a project name: use lower-case letters, digits, '-', '_' or '.', as in [assembly: MigrationProject].");
        }

        var logFormat = parse.GetValue(options.LogFormat)
            ?? (string.IsNullOrEmpty(environment("KUBERNETES_SERVICE_HOST")) ? "text" : "json");

        return new CommandInput(
            kind,
            project,
            parse.GetValue(options.DatabaseType) ?? "postgresql",
            parse.GetValue(options.Environment) ?? NullIfEmpty(environment("STEPWISE_ENVIRONMENT")),
            parse.GetValue(options.Connection),
            parse.GetValue(options.Config),
            parse.GetValue(options.LockTimeout),
            parse.GetValue(options.CommandTimeout),
            parse.GetValue(options.Output) == "json",
            logFormat == "json",
            ParseVersion(parse, options.Version, "--version"),
            ParseVersion(parse, options.FromVersion, "--from-version"),
            parse.GetValue(options.DryRun),
            parse.GetValue(options.AllowDrift),
            parse.GetValue(options.All),
            parse.GetValue(options.Limit),
            parse.GetValue(options.Assembly) ?? [],
            parse.GetValue(options.AssemblyDir) ?? []);
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

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
