using System.Diagnostics;
using Stepwise.Testing;

namespace Stepwise.Image.Tests;

/// <summary>What a run of the image printed and returned, and what it left in the container's file system.</summary>
public sealed record ImageRun(int ExitCode, string Output, string Error, IReadOnlyList<string> WrittenFiles, string? TerminationMessage)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}

/// <summary>
/// The sample's runner image (PostgreSQL, Native AOT), built once per test run by build-sample-image.sh, and a way to
/// run its entrypoint: with `buildah run --isolation chroot` (a sandbox that refuses podman's cgroups and rlimits still
/// allows it). Without buildah, or a C toolchain for Native AOT, it cannot be built here, and the tests say so and skip.
/// </summary>
public class RunnerImage : IAsyncLifetime
{
    private readonly string _work = Directory.CreateTempSubdirectory("stepwise-image-").FullName;
    private static readonly SemaphoreSlim Builds = new(1, 1);
    private readonly string _engine;

    public RunnerImage()
        : this("localhost/ecommerce-migrations:test", "postgresql")
    {
    }

    protected RunnerImage(string image, string engine)
    {
        Image = image;
        _engine = engine;
    }

    /// <summary>The image's name in the fixture's own buildah storage.</summary>
    public string Image { get; }

    /// <summary>Why the image cannot be built or run here; <c>null</c> when it can.</summary>
    public string? Unavailable { get; private set; }

    /// <summary>What the build printed (its last line gives the image's size).</summary>
    public string BuildLog { get; private set; } = "";

    /// <summary>How the image's entrypoint is run, and why not otherwise, for the test output.</summary>
    public string Runtime { get; private set; } = "";

    private string[] Buildah => ["--root", Path.Combine(_work, "storage"), "--runroot", Path.Combine(_work, "run"), "--storage-driver", "vfs"];

    public async ValueTask InitializeAsync()
    {
        if (OperatingSystem.IsWindows() || OnPath("buildah") is null)
        {
            Unavailable = "Building the runner image here needs buildah (Debian: apt-get install buildah); it is not on this machine. GitHub Actions builds it.";
            return;
        }

        if (OnPath("debootstrap") is null)
        {
            Unavailable = "The image's base (the Debian system debian:bookworm-slim holds) is made here with debootstrap (Debian: apt-get install debootstrap); it is not on this machine.";
            return;
        }

        if (_engine == "postgresql" && OnPath("clang") is null && OnPath("gcc") is null)
        {
            Unavailable = "The Native AOT publish the image holds needs clang or gcc; neither is on this machine.";
            return;
        }

        if (Environment.UserName != "root")
        {
            Unavailable = "buildah without root needs user namespaces this machine may not grant; run the image tests as root (CI does).";
            return;
        }

        var script = Path.Combine(RepositoryLayout.Root, "tests", "Stepwise.Image.Tests", "build-sample-image.sh");
        // One build at a time: both samples' publishes build the same framework projects.
        await Builds.WaitAsync();
        int exit;
        string output, error;
        try
        {
            (exit, output, error) = await RunAsync("bash", [script, _work, _engine], null);
        }
        finally
        {
            Builds.Release();
        }

        BuildLog = output + error;
        if (exit != 0)
        {
            throw new InvalidOperationException("build-sample-image.sh failed:\n" + BuildLog);
        }

        Runtime = "buildah run --isolation chroot; podman: " + await PodmanAsync() + "; Docker: " +
            (DockerEngine.Answers() ? "an engine answers, but the image is in buildah's storage" : "no engine answers");
    }

    // Whether podman can run the image here; when it cannot, the first line of its refusal.
    private async Task<string> PodmanAsync()
    {
        if (OnPath("podman") is null)
        {
            return "not installed";
        }

        var (exit, _, error) = await RunAsync("podman", [.. Buildah, "run", "--rm", Image, "--help"], null);
        return exit == 0 ? "can run it too" : "refused here (" + error.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() + ")";
    }

    /// <summary>
    /// Runs the image's entrypoint with <paramref name="args"/>, the given variables, and <paramref name="mounts"/>
    /// (host folder to container folder, read-only), as user 10001 on the host's network.
    /// </summary>
    public async Task<ImageRun> RunAsync(IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment, IReadOnlyDictionary<string, string>? mounts = null)
    {
        if (Unavailable is not null)
        {
            Assert.Skip(Unavailable);
        }

        var (_, created, _) = await RunAsync("buildah", [.. Buildah, "from", "--quiet", Image], null);
        var container = created.Trim();
        try
        {
            var entrypoint = (await RunAsync("buildah", [.. Buildah, "inspect", "--format", "{{range .OCIv1.Config.Entrypoint}}{{.}} {{end}}", Image], null))
                .Output.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            List<string> run = [.. Buildah, "run", "--isolation", "chroot", "--network", "host", "--user", "10001:10001"];
            foreach (var (name, value) in environment)
            {
                run.AddRange(["-e", $"{name}={value}"]);
            }

            // The container's file system, mounted once: where the volumes go, then what the run left behind.
            var (_, mountPoint, _) = await RunAsync("buildah", [.. Buildah, "mount", container], null);
            var root = mountPoint.Trim();
            foreach (var (host, target) in mounts ?? new Dictionary<string, string>())
            {
                run.AddRange(["--mount", $"type=bind,src={host},dst={WithinImage(root, target)},ro"]);
            }

            var (exit, output, error) = await RunAsync("buildah", [.. run, container, "--", .. entrypoint, .. args], null);

            // What the run left in the container's own file system: files the runner's user owns.
            var (_, owned, _) = await RunAsync("find", [root, "-uid", "10001"], null);
            var written = owned.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(path => "/" + Path.GetRelativePath(root, path)).ToList();
            var termination = Path.Combine(root, "tmp", "termination-log");
            var message = File.Exists(termination) ? await File.ReadAllTextAsync(termination) : null;
            await RunAsync("buildah", [.. Buildah, "umount", container], null);
            return new ImageRun(exit, output, error, written, message);
        }
        finally
        {
            await RunAsync("buildah", [.. Buildah, "rm", container], null);
        }
    }

    /// <summary>
    /// <paramref name="target"/> with the image's own symbolic links followed (Debian's /var/run is a link to /run), as
    /// Kubernetes' runtime places a volume; buildah's chroot isolation would otherwise mount beside the link.
    /// </summary>
    private static string WithinImage(string root, string target)
    {
        var resolved = "/";
        foreach (var part in target.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var next = resolved.TrimEnd('/') + "/" + part;
            var link = new FileInfo(root + next).LinkTarget;
            resolved = link is null ? next : link.StartsWith('/') ? link : resolved.TrimEnd('/') + "/" + link;
        }

        return resolved;
    }

    /// <summary>The image's configuration, as buildah inspects it (a Go template over the OCI config).</summary>
    public async Task<string> InspectAsync(string format)
    {
        if (Unavailable is not null)
        {
            Assert.Skip(Unavailable);
        }

        return (await RunAsync("buildah", [.. Buildah, "inspect", "--format", format, Image], null)).Output.Trim();
    }

    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        if (Directory.Exists(Path.Combine(_work, "storage")))
        {
            // vfs keeps each layer as a plain copy: remove it all through buildah, whose files the test's user may not own.
            await RunAsync("buildah", [.. Buildah, "rm", "--all"], null);
            await RunAsync("buildah", [.. Buildah, "rmi", "--all", "--force"], null);
        }

        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string? OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    private static async Task<(int Exit, string Output, string Error)> RunAsync(string program, IReadOnlyList<string> args, string? directory)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (directory is not null)
        {
            start.WorkingDirectory = directory;
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }
}

/// <summary>
/// The sample's MongoDB runner image (samples/ECommerce.Documents.Migrations), from its self-contained ReadyToRun
/// publish: what a team whose migrations are for MongoDB ships.
/// </summary>
public sealed class DocumentsRunnerImage() : RunnerImage("localhost/ecommerce-documents-migrations:test", "mongodb");
