using System.CommandLine;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Stepwise.Catalog;
using Stepwise.Configuration;
using Stepwise.Execution;
using Stepwise.Hosting.Output;
using Stepwise.Planning;
using Stepwise.Verification;

namespace Stepwise.Hosting.Cli;

/// <summary>
/// Runs one command: checks its input, builds the Generic Host (logging, migrations in DI, engines), runs the
/// operation, writes the result, and turns every failure into a one-line message and a documented exit code.
/// </summary>
internal sealed partial class CommandRunner
{
    private readonly StepwiseHostOptions _host;
    private readonly CliOptions _options;
    private readonly TextWriter _output;
    private readonly TextWriter _error;
    private readonly Func<string, string?> _environment;
    private readonly OutputGuard _guard;
    private bool _json;
    private bool _details;
    private ProjectCatalog? _project;

    public CommandRunner(StepwiseHostOptions host, CliOptions options, TextWriter output, TextWriter error, Func<string, string?> environment,
        OutputGuard guard)
    {
        _host = host;
        _options = options;
        _output = output;
        _error = error;
        _environment = environment;
        _guard = guard;
    }

    /// <summary>The options of the command line the runner reads its input from.</summary>
    public CliOptions Options => _options;

    /// <summary>Whether the command line takes <c>--assembly</c> and <c>--assembly-dir</c> (the generic runner).</summary>
    public bool AcceptsAssemblies => _host.AssemblyLoader is not null;

    public async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        try
        {
            var input = CommandInput.From(parse, StepwiseCommandLine.KindOf(parse), _options, _environment);
            _json = input.Json;
            _details = (input.LogLevel ?? DefaultLevelFromEnvironment()) <= LogLevel.Debug;
            using var host = BuildHost(input, out var catalog);
            if (input.Kind == CommandKind.ConfigCheck)
            {
                return (int)await CheckConfigAsync(catalog, input).ConfigureAwait(false);
            }

            if (input.Kind == CommandKind.Version)
            {
                await WriteAsync(VersionOutput.Of(catalog), OutputJsonContext.Default.VersionOutput, TextRenderer.Version).ConfigureAwait(false);
                return (int)ExitCode.Ok;
            }

            var one = OneProject(catalog, input);
            var engine = EngineChoice.Choose(host.Services.GetServices<IDatabaseEngine>().ToList(), input.DatabaseType, one?.Name, one?.Config);
            if (input.Kind == CommandKind.Manifest)
            {
                return (int)await WriteManifestAsync(catalog, input, engine).ConfigureAwait(false);
            }

            var endpoint = ConnectionResolver.Resolve(input.Connection, _environment, engine.DefaultPort);
            using var telemetry = Telemetry.TelemetryExport.Start(_environment, engine);
            _guard.Add(endpoint.Secrets());
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var runOptions = new RunOptions
                {
                    Session = new SessionOptions(endpoint, input.CommandTimeout) { Profile = Profile(catalog, input) },
                    Environment = input.Environment,
                    DryRun = input.DryRun,
                    AllowDrift = input.AllowDrift,
                    LockTimeout = input.LockTimeout,
                    Who = Audit.AuditRegistration.Who(_environment),
                };
                var exit = await ExecuteAsync(host.Services, engine, catalog, input, runOptions, cancellationToken).ConfigureAwait(false);
                return (int)exit;
            }
            finally
            {
                await Audit.AuditRegistration.FlushAsync(host.Services).ConfigureAwait(false);
                await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (StepwiseException ex)
        {
            await WriteDetailsAsync(ex.InnerException).ConfigureAwait(false);
            await WriteErrorAsync(ex.Message).ConfigureAwait(false);
            return (int)ExitCodes.For(ex.Kind);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await WriteErrorAsync("Cancelled before any step started; nothing was changed.").ConfigureAwait(false);
            return (int)ExitCode.Cancelled;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            await WriteDetailsAsync(ex).ConfigureAwait(false);
            await WriteErrorAsync($"Unexpected {ex.GetType().Name}: {ex.Message}").ConfigureAwait(false);
            return (int)ExitCode.InternalError;
        }
    }

    // The environment's profile from the project's configuration (--config wins over the embedded one). A command not
    // about one project of this runner (status --all, history of another project) keeps the strictest of all profiles.
    private EnvironmentProfile Profile(MigrationCatalog catalog, CommandInput input)
    {
        if (input.Environment is null)
        {
            return EnvironmentProfile.None;
        }

        // --config: the file read once for the run, and checked against the project's migrations when the run is about one.
        if (OneProject(catalog, input) is { } one)
        {
            return one.Config?.ProfileOf(input.Environment) ?? EnvironmentProfile.None;
        }

        if (input.ConfigPath is { } path)
        {
            return Configuration.ProjectConfigReader.ReadFile(path).ProfileOf(input.Environment);
        }

        var configs = catalog.Projects.Values.Select(static p => p.Config);
        return configs.Select(c => c?.ProfileOf(input.Environment) ?? EnvironmentProfile.None).MaxBy(static p => p.RequireTls) ?? EnvironmentProfile.None;
    }

    // The project a command is about, when it is about one of this runner's (not status --all, nor another project's history).
    private ProjectCatalog? OneProject(MigrationCatalog catalog, CommandInput input) =>
        (input.Project is { } asked ? catalog.Projects.ContainsKey(asked) : catalog.Projects.Count == 1) ? Project(catalog, input) : null;

    // --config replaces the embedded configuration: read, and checked against the migrations, once per run.
    private ProjectCatalog Project(MigrationCatalog catalog, CommandInput input)
    {
        if (_project is null)
        {
            var project = catalog.Resolve(input.Project);
            _project = input.ConfigPath is { } path ? project.WithConfig(Configuration.ProjectConfigReader.ReadFile(path, project)) : project;
        }

        return _project;
    }

    private async Task<ExitCode> WriteManifestAsync(MigrationCatalog catalog, CommandInput input, IDatabaseEngine engine)
    {
        var project = Project(catalog, input);
        var version = input.Version ?? project.Latest ?? throw new StepwiseException(FailureKind.Usage, $"Project {project.Name} has no migrations.");
        MigrationPlanner.CheckRequest(project, new PlanRequest(Operation.Upgrade, version));
        var secret = input.Secret ?? $"{project.Name}-db";
        if (!IsKubernetesName(secret))
        {
            throw new StepwiseException(FailureKind.Usage, $"--secret: '{EchoedInput.Show(secret)}' is not a Secret name (lower-case letters, digits, '-' and '.').");
        }

        var trigger = (input.Hook, input.ArgoCd) switch
        {
            ("none", _) => JobTrigger.Plain,
            ("post", true) => JobTrigger.ArgoPost,
            ("post", false) => JobTrigger.HelmPost,
            (_, true) => JobTrigger.ArgoPre,
            _ => JobTrigger.HelmPre,
        };
        var job = new JobSettings(input.Image!, project.Name, version.ToString(), input.FromVersion?.ToString(), engine.Name, input.Environment, secret,
            LockTimeoutText(input.LockTimeout), trigger);
        await _output.WriteAsync(JobManifest.Render(job)).ConfigureAwait(false);
        await _output.FlushAsync().ConfigureAwait(false);
        return ExitCode.Ok;
    }

    private static bool IsKubernetesName(string name) =>
        name.Length is > 0 and <= 253 && name.All(static c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.')
        && char.IsAsciiLetterOrDigit(name[0]) && char.IsAsciiLetterOrDigit(name[^1]);

    // The duration as the runner reads it back: whole minutes or seconds.
    private static string LockTimeoutText(TimeSpan timeout) => timeout.TotalSeconds % 60 == 0
        ? $"{timeout.TotalMinutes.ToString(System.Globalization.CultureInfo.InvariantCulture)}m"
        : $"{timeout.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}s";

    private async Task<ExitCode> CheckConfigAsync(MigrationCatalog catalog, CommandInput input)
    {
        var project = Project(catalog, input);
        var result = new ConfigCheckOutput(
            project.Name,
            project.Config?.Source,
            project.Versions.Select(static v => v.ToString()).ToArray(),
            project.Graph.IsExplicit,
            project.Migrations.Count,
            project.Policies.RequireRollback,
            project.Policies.RequireValidation,
            project.Policies.DryRunFirst,
            project.Policies.BackupBeforeUpgrade);
        await WriteAsync(result, OutputJsonContext.Default.ConfigCheckOutput, TextRenderer.ConfigCheck).ConfigureAwait(false);
        return ExitCode.Ok;
    }

    [UnconditionalSuppressMessage("Trimming", "IL2072",
        Justification = "A host that lists its migration types itself names them in its code; the runner image lists none and reads the build's manifest.")]
    private IHost BuildHost(CommandInput input, out MigrationCatalog catalog)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        ConfigureLogging(builder, input);

        var types = _host.MigrationTypes;
        IReadOnlyList<Assembly> assemblies;
        if (types.Count > 0)
        {
            catalog = MigrationDiscovery.Build(types);
            assemblies = types.Select(static t => t.Assembly).Distinct().ToArray();
            foreach (var type in types)
            {
                builder.Services.AddMigration(type);
            }
        }
        else
        {
            assemblies = Assemblies(input);
            catalog = MigrationDiscovery.Discover(assemblies, builder.Services, input.Project);
        }

        builder.Services.AddSingleton(catalog);
        builder.Services.AddSingleton(TimeProvider.System);
        EngineChoice.Register(builder.Services, assemblies);
        Audit.AssemblyObservers.Register(builder.Services, assemblies);
        builder.Services.AddSingleton<RollbackVerifier>();
        // Once, even when a host's own services register it too: two would count every measurement twice.
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<Observing.IRunObserver, Observing.StepwiseTelemetry>());
        builder.Services.AddSingleton<Observing.IRunObserver>(static provider =>
            new Observing.StepHeartbeat(provider.GetRequiredService<ILogger<Observing.StepHeartbeat>>(), provider.GetRequiredService<TimeProvider>()));
        Audit.AuditRegistration.Register(builder.Services, _environment, _output, _error, _guard);
        builder.Services.AddSingleton<IHostLifetime, CommandLineLifetime>();
        _host.ConfigureServices?.Invoke(builder.Services);
        return builder.Build();
    }

    private IReadOnlyList<Assembly> Assemblies(CommandInput input)
    {
        var assemblies = new List<Assembly>(_host.Assemblies);
        if (_host.AssemblyLoader is not null && (input.Assemblies.Count > 0 || input.AssemblyDirs.Count > 0))
        {
            assemblies.AddRange(_host.AssemblyLoader(input.Assemblies, input.AssemblyDirs));
        }

        return assemblies;
    }

    private void ConfigureLogging(HostApplicationBuilder builder, CommandInput input)
    {
        var logging = builder.Logging;
        logging.SetMinimumLevel(LogLevel.Information);
        logging.AddFilter("Microsoft", LogLevel.Warning);

        // Logging__LogLevel__<category> in the process environment, as any .NET host reads it (a host that supplies its
        // own environment, such as a test, has nothing to enumerate).
        if (_host.EnvironmentVariables is null)
        {
            builder.Configuration.AddEnvironmentVariables();
            logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        }

        // --log-level is the explicit word: it wins over the environment's default, not over its per-category settings.
        if (input.LogLevel is { } level)
        {
            logging.AddFilter((string?)null, level);
            logging.AddFilter("Microsoft", level > LogLevel.Warning ? level : LogLevel.Warning);
        }

        var json = input.JsonLogs ? new JsonLogFormatter(_guard, TimeProvider.System) : null;
        if (_host.Error is not null)
        {
            logging.AddProvider(new WriterLoggerProvider(_error, json));
            return;
        }

        // Logs go to standard error, so that standard output carries only the result (for --output json). Formatters are
        // registered by hand: AddConsoleFormatter would bind their options from configuration, which Native AOT cannot.
        logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        if (json is not null)
        {
            logging.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ConsoleFormatter>(json));
            logging.Services.Configure<ConsoleLoggerOptions>(o => o.FormatterName = JsonLogFormatter.FormatterName);
        }
        else
        {
            logging.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ConsoleFormatter, TerminalLogFormatter>());
            logging.Services.Configure<ConsoleLoggerOptions>(o => o.FormatterName = TerminalLogFormatter.FormatterName);
        }
    }

    private async Task WriteAsync<T>(T value, JsonTypeInfo<T> json, Func<T, string> text)
    {
        var rendered = _json ? JsonSerializer.Serialize(value, json) + Environment.NewLine : text(value);
        await _output.WriteAsync(rendered).ConfigureAwait(false);
        await _output.FlushAsync().ConfigureAwait(false);
    }

    private LogLevel DefaultLevelFromEnvironment() =>
        Enum.TryParse<LogLevel>(_environment("Logging__LogLevel__Default"), ignoreCase: true, out var level) ? level : LogLevel.Information;

    // At debug or trace (--log-level, or Logging__LogLevel__Default): the chain of causes behind the message, for whoever investigates a failed Job.
    // Types and messages only, on one line: a stack trace helps no operator, and the guard still reads every byte.
    private async Task WriteDetailsAsync(Exception? cause)
    {
        if (_details && cause is not null)
        {
            var chain = new List<string>();
            for (var ex = cause; ex is not null && chain.Count < 8; ex = ex.InnerException)
            {
                chain.Add($"{ex.GetType().FullName}: {ex.Message.ReplaceLineEndings(" ")}");
            }

            await _error.WriteLineAsync("debug: caused by " + string.Join(" <- ", chain)).ConfigureAwait(false);
        }
    }

    private async Task WriteErrorAsync(string message)
    {
        await _error.WriteLineAsync("error: " + message).ConfigureAwait(false);
        await _error.FlushAsync().ConfigureAwait(false);
    }

    private static string KindName(RepairKind kind) => kind switch
    {
        RepairKind.ClearFailure => "clear-failure",
        RepairKind.AlignChecksum => "align-checksum",
        RepairKind.MarkApplied => "mark-applied",
        RepairKind.RestoreRecord => "restore-record",
        _ => "forget-missing",
    };
}
