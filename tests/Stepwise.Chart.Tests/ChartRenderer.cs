using System.Diagnostics;
using Stepwise.Testing;

namespace Stepwise.Chart.Tests;

/// <summary>What a render printed.</summary>
public sealed record Rendered(int ExitCode, string Output, string Error);

/// <summary>
/// Renders charts/stepwise: with helm when it is on PATH (`helm template`), else with HelmRenderer/main.go, built once per
/// run from Debian's Go toolchain and Sprig in GOPATH mode. Without either, the tests that render skip and say why.
/// </summary>
public static class ChartRenderer
{
    public static readonly string ChartDirectory = Path.Combine(RepositoryLayout.Root, "charts", "stepwise");

    private static readonly Lazy<Task<(string? Program, string Description)>> Renderer = new(FindAsync);

    /// <summary>Which renderer runs, for the test output.</summary>
    public static async Task<string> DescribeAsync() => (await Renderer.Value).Description;

    public static async Task<Rendered> RenderAsync(IEnumerable<string> valuesFiles, string release = "shop", bool upgrade = false, bool notes = false)
    {
        var (program, description) = await Renderer.Value;
        if (program is null)
        {
            Assert.Skip(description);
        }

        var helm = Path.GetFileName(program) == "helm";
        List<string> args = helm
            ? ["template", release, ChartDirectory, "--namespace", "apps", .. upgrade ? new[] { "--is-upgrade" } : []]
            : ["--chart", ChartDirectory, "--release", release, "--namespace", "apps", .. upgrade ? new[] { "--is-upgrade" } : [], .. notes ? new[] { "--notes" } : []];
        foreach (var file in valuesFiles)
        {
            args.AddRange([helm ? "--values" : "--values", file]);
        }

        var (exit, output, error) = await RunAsync(program, args, null);
        return new Rendered(exit, output, error);
    }

    private static async Task<(string? Program, string Description)> FindAsync()
    {
        var helm = OnPath("helm");
        if (helm is not null)
        {
            return (helm, $"helm ({helm})");
        }

        var go = OnPath("go");
        const string gopath = "/usr/share/gocode";
        if (go is null || !Directory.Exists(Path.Combine(gopath, "src", "github.com", "Masterminds", "sprig")))
        {
            return (null, "Rendering the chart needs helm, or Go with Sprig to build the test renderer (Debian: apt-get install golang-go " +
                "golang-github-masterminds-sprig-dev); neither is on this machine. GitHub Actions renders it with helm.");
        }

        var output = Path.Combine(AppContext.BaseDirectory, "helm-render");
        var source = Path.Combine(RepositoryLayout.Root, "tests", "Stepwise.Chart.Tests", "HelmRenderer");
        var (exit, _, error) = await RunAsync(go, ["build", "-o", output, "."], source,
            new Dictionary<string, string> { ["GO111MODULE"] = "off", ["GOPATH"] = gopath, ["GOFLAGS"] = "" });
        return exit == 0
            ? (output, "the test renderer (Go text/template with Sprig, tests/Stepwise.Chart.Tests/HelmRenderer), helm not being on this machine")
            : (null, $"Building the test renderer failed: {error}");
    }

    private static string? OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    private static async Task<(int Exit, string Output, string Error)> RunAsync(string program, IEnumerable<string> args, string? directory,
        IReadOnlyDictionary<string, string>? environment = null)
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

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }
}
