using System.Globalization;

namespace Stepwise.Packaging.Tests;

/// <summary>
/// Packs the packages under test once, into a fresh folder, at a version no NuGet cache has seen
/// (0.1.0-e2e.&lt;timestamp&gt;), so every run restores what it just packed.
/// </summary>
public sealed class PackedFeed : IAsyncLifetime
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "stepwise-e2e-" + Guid.NewGuid().ToString("N")[..12]);

    public string Feed => Path.Combine(Root, "feed");

    /// <summary>A NuGet cache of this run's own: restores never see an older package of the same version.</summary>
    public string PackagesFolder => Path.Combine(Root, "packages");

    public string Version { get; } = "0.1.0-e2e." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture);

    public string RepositoryRoot { get; } = Stepwise.Testing.RepositoryLayout.Root;

    /// <summary>The repository address the packages are built with (a reserved name: nothing is fetched from it).</summary>
    public const string RepositoryUrl = "https://stepwise.example.invalid/stepwise";

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(Feed);
        var (exitCode, output) = await DotNet.RunAsync(
            RepositoryRoot,
            environment: null,
            TestContext.Current.CancellationToken,
            "pack", Path.Combine(RepositoryRoot, PackagesUnderTest.Solution), "-c", "Release", "-o", Feed, "-p:Version=" + Version,
            "-p:StepwiseRepositoryUrl=" + RepositoryUrl, "-p:StepwiseSourceRevision=e2e", "-nologo");
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"dotnet pack {PackagesUnderTest.Solution} failed ({exitCode}):\n{output}");
        }
    }

    /// <summary>
    /// Writes a NuGet.config into <paramref name="folder"/> that adds the packed feed, as a team adds its own: the machine's
    /// default feed stays.
    /// </summary>
    public Task WriteNuGetConfigAsync(string folder, CancellationToken cancellationToken) =>
        File.WriteAllTextAsync(Path.Combine(folder, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="stepwise-e2e" value="{Feed}" />
              </packageSources>
            </configuration>
            """, cancellationToken);

    public ValueTask DisposeAsync()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; a failed cleanup must not hide the test's result.
        }

        return ValueTask.CompletedTask;
    }
}
