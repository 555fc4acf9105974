using System.CommandLine;
using System.Reflection;
using Stepwise.Hosting.Cli;
using Stepwise.Hosting.Output;

namespace Stepwise.Hosting;

/// <summary>
/// The Stepwise command line, for a migrations project that is its own runner:
/// <c>return await StepwiseHost.RunAsync(args);</c> in <c>Program.cs</c>.
/// </summary>
public static class StepwiseHost
{
    /// <summary>Runs the command line over the migrations of the entry assembly.</summary>
    /// <returns>The exit code (see <see cref="ExitCode"/>).</returns>
    public static Task<int> RunAsync(string[] args)
    {
        var options = new StepwiseHostOptions();
        if (Assembly.GetEntryAssembly() is { } entry)
        {
            options.Assemblies.Add(entry);
        }

        return RunAsync(args, options);
    }

    /// <summary>Runs the command line with the given migrations, extensions and console.</summary>
    /// <returns>The exit code (see <see cref="ExitCode"/>).</returns>
    /// <remarks>
    /// Everything the run writes, to the given writers or to the process's console (results, errors, the parser's
    /// messages, logs at every level), passes through one guard that removes passwords and connection strings and makes
    /// control characters visible.
    /// </remarks>
    public static async Task<int> RunAsync(string[] args, StepwiseHostOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(options);

        var environment = options.EnvironmentVariables ?? Environment.GetEnvironmentVariable;
        var guard = new OutputGuard(OutputGuard.SecretsIn(args, environment));
        var (console, consoleError) = (Console.Out, Console.Error);
        using var output = new GuardedWriter(options.Output ?? console, guard);
        using var error = new GuardedWriter(options.Error ?? consoleError, guard, MaxErrorLine);
        if (options.Output is null)
        {
            Console.SetOut(output);
        }

        if (options.Error is null)
        {
            // The console logger writes to Console.Error: through the guard as well.
            Console.SetError(error);
        }

        try
        {
            var runner = new CommandRunner(options, new CliOptions(), output, error, environment, guard);
            int exit;
            if (Parse(runner, args, out var problem) is { } parse)
            {
                // Kubernetes sends SIGTERM and waits terminationGracePeriodSeconds (30 s by default) before SIGKILL: leave the
                // running step time to roll back and be recorded.
                exit = await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = TimeSpan.FromSeconds(25) },
                    cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await error.WriteLineAsync($"error: {problem}").ConfigureAwait(false);
                exit = (int)ExitCode.Usage;
            }

            await error.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            if (exit != 0)
            {
                TerminationLog.Write(environment, exit, error.LastError);
            }

            return exit;
        }
        finally
        {
            await output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            await error.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            if (options.Output is null)
            {
                Console.SetOut(console);
            }

            if (options.Error is null)
            {
                Console.SetError(consoleError);
            }
        }
    }

    // A message line is one sentence or a few; anything longer is an echo gone wrong (or a JSON log line with scopes).
    private const int MaxErrorLine = 8192;

    // The command line read, or why it cannot be (one line, whatever the parser found: a Job's log shows it whole, and
    // alerts can match it). Parsing returns before the command runs, so the run is not a call below it.
    private static ParseResult? Parse(CommandRunner runner, string[] args, out string? problem)
    {
        problem = null;
        var cliOptions = runner.Options;
        var root = StepwiseCommandLine.Create(cliOptions, runner.AcceptsAssemblies, runner.RunAsync);
        ParseResult parse;
        try
        {
            parse = root.Parse(args);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A parser of ours that throws is a bug, but the user still gets one line and the usage code.
            problem = $"the command line could not be read ({ex.GetType().Name}). Run with --help for the commands and options.";
            return null;
        }

        if (parse.GetResult(cliOptions.MisplacedVersion) is not null)
        {
            problem = $"{CliOptions.MisplacedVersionError}.";
            return null;
        }

        if (parse.Errors.Count > 0)
        {
            var problems = parse.Errors.Select(e => Shorten(e.Message, parse.Tokens).TrimEnd().TrimEnd('.')).Distinct(StringComparer.Ordinal);
            problem = $"{string.Join("; ", problems)}. Run with --help for the commands and options.";
            return null;
        }

        return parse;
    }

    // The parser quotes the tokens it rejects: a long one is shown shortened.
    private static string Shorten(string message, IReadOnlyList<System.CommandLine.Parsing.Token> tokens)
    {
        foreach (var token in tokens)
        {
            if (token.Value.Length > EchoedInput.MaxShown)
            {
                message = message.Replace(token.Value, EchoedInput.Show(token.Value), StringComparison.Ordinal);
            }
        }

        return message;
    }
}
