using System.Diagnostics;
using System.Security.Cryptography;

namespace Stepwise.Testing;

/// <summary>
/// A throwaway PostgreSQL cluster from the machine's binaries (<c>initdb</c>, <c>pg_ctl</c>) in a temporary folder, on a
/// free loopback port, with password authentication. PostgreSQL refuses to run as root, so as root it runs as the
/// <c>postgres</c> user.
/// </summary>
public sealed class LocalPostgresCluster : IAsyncDisposable
{
    private const string Superuser = "stepwise_test";
    private readonly string _root;

    private LocalPostgresCluster(string binDirectory, string root, int port, string password)
    {
        BinDirectory = binDirectory;
        _root = root;
        ConnectionString = $"Host=127.0.0.1;Port={port};Database=postgres;Username={Superuser};Password={password};Pooling=false";
    }

    /// <summary>The folder of the server binaries.</summary>
    public string BinDirectory { get; }

    /// <summary>A superuser's connection string to the <c>postgres</c> database.</summary>
    public string ConnectionString { get; }

    /// <summary>Whether this machine has the binaries a local cluster needs.</summary>
    public static bool Available => FindBinDirectory() is not null;

    private string DataDirectory => Path.Combine(_root, "data");

    /// <summary>Creates and starts a cluster.</summary>
    /// <param name="dataFiles">Files to place in the data folder before the server starts (e.g. a TLS certificate and key), readable by the server only.</param>
    /// <param name="settings">Further server settings, as <c>name=value</c>.</param>
    public static async Task<LocalPostgresCluster> StartAsync(IReadOnlyDictionary<string, string>? dataFiles = null, IReadOnlyList<string>? settings = null)
    {
        var bin = FindBinDirectory() ?? throw new InvalidOperationException(
            "No PostgreSQL for the tests: set STEPWISE_TEST_POSTGRES to a server's connection string, run a Docker engine, " +
            "or install PostgreSQL's server binaries (Debian: apt-get install postgresql).");

        var root = Directory.CreateTempSubdirectory("stepwise-pg-").FullName;
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
        var runAsPostgres = !OperatingSystem.IsWindows() && Environment.UserName == "root";
        if (runAsPostgres && !OperatingSystem.IsWindows())
        {
            // initdb creates the data folder as the postgres user inside this one.
            File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
                UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute);
        }

        var passwordFile = Path.Combine(root, "pwfile");
        await File.WriteAllTextAsync(passwordFile, password).ConfigureAwait(false);

        var port = LocalPorts.Free();
        var cluster = new LocalPostgresCluster(bin, root, port, password);
        try
        {
            await RunAsync(runAsPostgres, Path.Combine(bin, "initdb"), "-D", cluster.DataDirectory, "-U", Superuser, "--pwfile", passwordFile,
                "--auth", "scram-sha-256", "--encoding", "UTF8", "--locale", "C", "--no-sync").ConfigureAwait(false);
            File.Delete(passwordFile);
            foreach (var (name, content) in dataFiles ?? new Dictionary<string, string>())
            {
                var path = Path.Combine(cluster.DataDirectory, name);
                await File.WriteAllTextAsync(path, content).ConfigureAwait(false);
                if (!OperatingSystem.IsWindows())
                {
                    // PostgreSQL refuses a key file that others may read.
                    File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }

                if (runAsPostgres)
                {
                    await RunAsync(false, "chown", "postgres", path).ConfigureAwait(false);
                }
            }

            // Durability is pointless for a cluster that lives for one test run; turning it off makes tests faster.
            var options = $"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" +
                string.Concat((settings ?? []).Select(static s => " -c " + s));
            await RunAsync(runAsPostgres, Path.Combine(bin, "pg_ctl"), "-D", cluster.DataDirectory, "-o", options,
                "-l", Path.Combine(root, "server.log"), "-w", "-t", "60", "start").ConfigureAwait(false);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Restarts the server as an operator or a failover would: <c>fast</c> ends every session (their transactions roll
    /// back), <c>immediate</c> crashes it (recovery on start).
    /// </summary>
    public async Task RestartAsync(bool crash = false) =>
        await RunAsync(Environment.UserName == "root", Path.Combine(BinDirectory, "pg_ctl"), "-D", DataDirectory, "-m", crash ? "immediate" : "fast",
            "-l", Path.Combine(_root, "server.log"), "-w", "-t", "60", "restart").ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Directory.Exists(Path.Combine(DataDirectory, "global")))
        {
            try
            {
                await RunAsync(Environment.UserName == "root", Path.Combine(BinDirectory, "pg_ctl"), "-D", DataDirectory, "-m", "immediate", "-w", "stop")
                    .ConfigureAwait(false);
            }
            catch (InvalidOperationException)
            {
                // Already stopped; the folder goes either way.
            }
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string? FindBinDirectory()
    {
        var configured = Environment.GetEnvironmentVariable("STEPWISE_PG_BIN");
        if (!string.IsNullOrWhiteSpace(configured) && File.Exists(Path.Combine(configured, "initdb")))
        {
            return configured;
        }

        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .FirstOrDefault(static dir => dir.Length > 0 && File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl")));
        if (onPath is not null)
        {
            return onPath;
        }

        // Debian and Ubuntu keep server binaries out of PATH, one folder per major version: take the newest.
        const string debian = "/usr/lib/postgresql";
        return Directory.Exists(debian)
            ? Directory.GetDirectories(debian)
                .Select(static dir => Path.Combine(dir, "bin"))
                .Where(static bin => File.Exists(Path.Combine(bin, "initdb")))
                .OrderByDescending(static bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var major) ? major : 0)
                .FirstOrDefault()
            : null;
    }

    private static async Task RunAsync(bool asPostgres, string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(asPostgres ? "runuser" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asPostgres)
        {
            foreach (var prefix in new[] { "-u", "postgres", "--", program })
            {
                start.ArgumentList.Add(prefix);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} failed with exit code {process.ExitCode}: {await error.ConfigureAwait(false)}{await output.ConfigureAwait(false)}");
        }
    }
}
