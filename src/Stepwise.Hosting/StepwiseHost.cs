using System.CommandLine;
using System.Reflection;
using Stepwise.Hosting.Cli;

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
    public static async Task<int> RunAsync(string[] args, StepwiseHostOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(options);

        var output = options.Output ?? Console.Out;
        var error = options.Error ?? Console.Error;
        var environment = options.EnvironmentVariables ?? Environment.GetEnvironmentVariable;
        var cliOptions = new CliOptions();
        var runner = new CommandRunner(options, cliOptions, output, error, environment);
        var root = StepwiseCommandLine.Create(cliOptions, options.AssemblyLoader is not null, runner.RunAsync);

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var parseError in parse.Errors)
            {
                await error.WriteLineAsync("error: " + parseError.Message).ConfigureAwait(false);
            }

            await error.WriteLineAsync("Run with --help for the commands and options.").ConfigureAwait(false);
            return (int)ExitCode.Usage;
        }

        // Kubernetes sends SIGTERM and waits terminationGracePeriodSeconds (30 s by default) before SIGKILL: leave the
        // running step time to roll back and be recorded.
        var invocation = new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = TimeSpan.FromSeconds(25) };
        return await parse.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
    }
}
