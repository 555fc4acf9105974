using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Stepwise.Testing;

/// <summary>What a run of the command line printed and returned.</summary>
public sealed record CliRun(int ExitCode, string Output, string Error)
{
    /// <summary>Everything the run wrote.</summary>
    public string All => Output + Error;

    /// <inheritdoc />
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}

/// <summary>Runs a built executable of this repository (the sample, the generic runner, a drill) as its own process.</summary>
public static class BuiltExecutable
{
    private static readonly string Configuration =
        new DirectoryInfo(AppContext.BaseDirectory).Parent?.Name is { } config && config != "bin" ? config : "Debug";

    /// <summary>The variables through which a runner could find a database: removed, so that a child finds it through its arguments only.</summary>
    private static readonly string[] DatabaseVariables =
        ["STEPWISE_CONNECTION", "DB_HOST", "DB_PORT", "DB_NAME", "DB_USER", "DB_PASSWORD", "KUBERNETES_SERVICE_HOST", "STEPWISE_ENVIRONMENT"];

    /// <summary>The built .dll of a project of this repository.</summary>
    public static string Dll(string projectDirectory, string assemblyName)
    {
        var path = Path.Combine(RepositoryLayout.Root, projectDirectory, "bin", Configuration, "net10.0", assemblyName + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build {projectDirectory} first (expected {path}).", path);
    }

    /// <summary>Runs the executable to its end.</summary>
    public static async Task<CliRun> RunAsync(string dll, params string[] args) => await Start(dll, args).FinishAsync().ConfigureAwait(false);

    /// <summary>Starts the executable; the caller may stop it, then collects what it printed.</summary>
    public static RunningExecutable Start(string dll, IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in DatabaseVariables)
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        return new RunningExecutable(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start."));
    }
}

/// <summary>A started executable: its output is read as it comes, and it can be killed or sent SIGTERM.</summary>
public sealed class RunningExecutable : IDisposable
{
    private const int Sigterm = 15;
    private readonly Process _process;
    private readonly Task<string> _output;
    private readonly Task<string> _error;

    internal RunningExecutable(Process process)
    {
        _process = process;
        _output = process.StandardOutput.ReadToEndAsync();
        _error = process.StandardError.ReadToEndAsync();
    }

    /// <summary>The process id.</summary>
    public int Id => _process.Id;

    /// <summary>Whether the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>SIGKILL, as the kernel's OOM killer or a node that disappears ends a pod: no handler runs.</summary>
    public void KillHard() => _process.Kill(entireProcessTree: true);

    /// <summary>SIGTERM, as Kubernetes stops a pod; .NET can only SIGKILL another process, so libc's kill(2) sends it.</summary>
    public void Terminate()
    {
        if (Kill(_process.Id, Sigterm) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    /// <summary>Waits for the end (killing the process after <paramref name="limit"/>, a minute by default) and collects its output.</summary>
    public async Task<CliRun> FinishAsync(TimeSpan? limit = null)
    {
        using var deadline = new CancellationTokenSource(limit ?? TimeSpan.FromMinutes(1));
        try
        {
            await _process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
            throw new TimeoutException($"The process did not end within {limit ?? TimeSpan.FromMinutes(1)}:\n{await _error.ConfigureAwait(false)}");
        }

        return new CliRun(_process.ExitCode, await _output.ConfigureAwait(false), await _error.ConfigureAwait(false));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
