using System.Diagnostics;
using System.Text;

namespace Stepwise.Packaging.Tests;

/// <summary>
/// Runs the dotnet CLI as a service team's build would (and the programs it builds), isolated from the test host's own
/// MSBuild environment.
/// </summary>
internal static class DotNet
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(8);

    public static Task<(int ExitCode, string Output)> RunAsync(
        string workingDirectory, IReadOnlyDictionary<string, string>? environment, CancellationToken cancellationToken, params string[] arguments) =>
        RunProcessAsync("dotnet", workingDirectory, environment, cancellationToken, arguments);

    /// <summary>Runs a program the build produced (a published runner).</summary>
    public static Task<(int ExitCode, string Output)> RunExecutableAsync(string path, CancellationToken cancellationToken, params string[] arguments) =>
        RunProcessAsync(path, Path.GetDirectoryName(path)!, environment: null, cancellationToken, arguments);

    private static async Task<(int ExitCode, string Output)> RunProcessAsync(
        string program, string workingDirectory, IReadOnlyDictionary<string, string>? environment, CancellationToken cancellationToken, string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The test host runs under `dotnet test`, whose MSBuild variables would steer the child build to the host's SDK state.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var output = new StringBuilder();
        var lockObject = new object();
        process.OutputDataReceived += (_, e) => { lock (lockObject) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (lockObject) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish within {Timeout}:\n{output}");
        }

        process.WaitForExit();
        lock (lockObject)
        {
            return (process.ExitCode, output.ToString());
        }
    }
}
