using System.Diagnostics;
using Stepwise.PostgreSql.Tests.Cli;

namespace Stepwise.PostgreSql.Tests.Sample;

/// <summary>Runs a built executable of this repository (the sample, the generic runner) as its own process.</summary>
public static class BuiltExecutable
{
    private static readonly string Configuration =
        new DirectoryInfo(AppContext.BaseDirectory).Parent?.Name is { } config && config != "bin" ? config : "Debug";

    public static string Dll(string projectDirectory, string assemblyName)
    {
        var path = Path.Combine(Stepwise.Testing.RepositoryLayout.Root, projectDirectory, "bin", Configuration, "net10.0", assemblyName + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build {projectDirectory} first (expected {path}).", path);
    }

    public static async Task<CliRun> RunAsync(string dll, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // The child must find its database through its arguments only.
        foreach (var name in new[] { "STEPWISE_CONNECTION", "DB_HOST", "DB_PORT", "DB_NAME", "DB_USER", "DB_PASSWORD", "KUBERNETES_SERVICE_HOST" })
        {
            start.Environment.Remove(name);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return new CliRun(process.ExitCode, await output, await error);
    }
}
