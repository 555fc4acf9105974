namespace Stepwise.Packaging.Tests;

/// <summary>
/// A service team's migrations project, written from scratch: it references the packed engine and runner host packages by
/// PackageReference, and nothing else.
/// </summary>
internal static class ServiceProject
{
    public const string Program = """
        using Stepwise;
        using Stepwise.Hosting;

        [assembly: MigrationProject("shop")]

        return await StepwiseHost.RunAsync(args);
        """;

    /// <summary>
    /// Writes the project into a new folder under the feed's root and returns the folder; it references
    /// <paramref name="packages"/> (by default <see cref="PackagesUnderTest.Referenced"/>).
    /// </summary>
    public static async Task<string> CreateAsync(PackedFeed feed, string name, IReadOnlyDictionary<string, string> sources,
        IReadOnlyList<string>? packages = null)
    {
        var project = Path.Combine(feed.Root, name);
        Directory.CreateDirectory(project);
        var cancellationToken = TestContext.Current.CancellationToken;
        await File.WriteAllTextAsync(Path.Combine(project, "Shop.Migrations.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                {string.Join(Environment.NewLine + "    ", (packages ?? PackagesUnderTest.Referenced).Select(p => $"<PackageReference Include=\"{p}\" Version=\"{feed.Version}\" />"))}
              </ItemGroup>
            </Project>
            """, cancellationToken);

        await feed.WriteNuGetConfigAsync(project, cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(project, "Program.cs"), Program, cancellationToken);
        foreach (var (file, source) in sources)
        {
            await File.WriteAllTextAsync(Path.Combine(project, file), source, cancellationToken);
        }

        return project;
    }

    /// <summary>Runs the dotnet CLI in the project with the feed's own package cache, and logs what it printed.</summary>
    public static async Task<(int ExitCode, string Output)> DotNetAsync(PackedFeed feed, string project, params string[] arguments)
    {
        var result = await DotNet.RunAsync(
            project,
            new Dictionary<string, string> { ["NUGET_PACKAGES"] = feed.PackagesFolder },
            TestContext.Current.CancellationToken,
            arguments);
        TestContext.Current.TestOutputHelper?.WriteLine($"dotnet {string.Join(' ', arguments)} -> {result.ExitCode}\n{result.Output}");
        return result;
    }
}
