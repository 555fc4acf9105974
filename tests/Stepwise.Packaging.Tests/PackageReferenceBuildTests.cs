using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Stepwise.Packaging.Tests;

/// <summary>
/// A service team's view: a fresh project that references the packed packages by PackageReference, and nothing else.
/// The build must fail on an incomplete migration and pass on a complete one. This is the only check that the
/// analyzers actually load from the package (a Roslyn reference newer than the compiler makes them silently vanish).
/// </summary>
public sealed class PackageReferenceBuildTests(PackedFeed feed) : IClassFixture<PackedFeed>
{
    private const string Context = """
        namespace Shop.Migrations;

        /// <summary>A minimal engine context, enough to compile migrations against the contract.</summary>
        public sealed class ShopContext : Stepwise.IMigrationContext
        {
            public string Project => "shop";
            public string? Environment => null;
            public Stepwise.MigrationDirection Direction => Stepwise.MigrationDirection.Up;
            public Task<bool> TableExistsAsync(string table, CancellationToken ct) => Task.FromResult(true);
            public Task RunAsync(string sql, CancellationToken ct) => Task.CompletedTask;
        }
        """;

    private const string IncompleteMigration = """
        using Stepwise;

        [assembly: MigrationProject("shop")]

        namespace Shop.Migrations;

        [Migration("1.0.0", 1, Description = "Create orders")]
        public sealed class CreateOrders : Migration<ShopContext>
        {
            public override Task Up(ShopContext db, CancellationToken ct) => db.RunAsync("CREATE TABLE orders (id bigint)", ct);
        }
        """;

    private const string CompleteMigration = """
        using Stepwise;

        [assembly: MigrationProject("shop")]

        namespace Shop.Migrations;

        [Migration("1.0.0", 1, Description = "Create orders")]
        public sealed class CreateOrders : Migration<ShopContext>
        {
            public override async Task PreCheck(ShopContext db, CancellationToken ct) =>
                Require(!await db.TableExistsAsync("orders", ct), "table orders does not exist yet");

            public override Task Up(ShopContext db, CancellationToken ct) => db.RunAsync("CREATE TABLE orders (id bigint)", ct);

            public override Task Down(ShopContext db, CancellationToken ct) => db.RunAsync("DROP TABLE orders", ct);

            public override async Task Validate(ShopContext db, CancellationToken ct) =>
                Require(await db.TableExistsAsync("orders", ct), "table orders exists");
        }
        """;

    [Fact]
    public async Task IncompleteMigration_FailsTheBuildWithContractErrors()
    {
        var (exitCode, output) = await BuildAsync("incomplete", IncompleteMigration);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("error SW1001", output, StringComparison.Ordinal);
        Assert.Contains("error SW1002", output, StringComparison.Ordinal);
        Assert.Contains("error SW1003", output, StringComparison.Ordinal);
        AssertAnalyzersLoadedCleanly(output);
    }

    [Fact]
    public async Task CompleteMigration_BuildsWithItsChecksum()
    {
        var (exitCode, output) = await BuildAsync("complete", CompleteMigration);

        Assert.True(exitCode == 0, output);
        Assert.DoesNotContain("SW1", output, StringComparison.Ordinal);
        AssertAnalyzersLoadedCleanly(output);

        // The generator ran from the package too: the assembly records the migration's checksum.
        var assembly = Path.Combine(feed.Root, "complete", "bin", "Debug", "net10.0", "Shop.Migrations.dll");
        Assert.Contains("MigrationChecksumAttribute", AssemblyAttributeTypes(assembly));
    }

    private async Task<(int ExitCode, string Output)> BuildAsync(string name, string migration)
    {
        var project = Path.Combine(feed.Root, name);
        Directory.CreateDirectory(project);
        var references = string.Join(
            Environment.NewLine,
            PackagesUnderTest.All.Select(p => $"""    <PackageReference Include="{p.PackageId}" Version="{feed.Version}" />"""));
        await File.WriteAllTextAsync(Path.Combine(project, "Shop.Migrations.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
            {references}
              </ItemGroup>
            </Project>
            """, TestContext.Current.CancellationToken);

        // The machine's default feed stays; this only adds the folder the packages were packed into.
        await File.WriteAllTextAsync(Path.Combine(project, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="stepwise-e2e" value="{feed.Feed}" />
              </packageSources>
            </configuration>
            """, TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(project, "ShopContext.cs"), Context, TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(project, "CreateOrders.cs"), migration, TestContext.Current.CancellationToken);

        var result = await DotNet.RunAsync(
            project,
            new Dictionary<string, string> { ["NUGET_PACKAGES"] = feed.PackagesFolder },
            TestContext.Current.CancellationToken,
            "build", "-nologo", "-v:minimal", "-p:TreatWarningsAsErrors=false");
        TestContext.Current.TestOutputHelper?.WriteLine(result.Output);
        return result;
    }

    private static void AssertAnalyzersLoadedCleanly(string output)
    {
        // CS8032: an analyzer could not be created; AD0001: one threw; CS9057: it references a newer compiler than the SDK's.
        Assert.DoesNotContain("CS8032", output, StringComparison.Ordinal);
        Assert.DoesNotContain("AD0001", output, StringComparison.Ordinal);
        Assert.DoesNotContain("CS9057", output, StringComparison.Ordinal);
    }

    private static List<string> AssemblyAttributeTypes(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var names = new List<string>();
        foreach (var handle in reader.GetAssemblyDefinition().GetCustomAttributes())
        {
            var constructor = reader.GetCustomAttribute(handle).Constructor;
            if (constructor.Kind == HandleKind.MemberReference &&
                reader.GetMemberReference((MemberReferenceHandle)constructor).Parent is { Kind: HandleKind.TypeReference } parent)
            {
                names.Add(reader.GetString(reader.GetTypeReference((TypeReferenceHandle)parent).Name));
            }
        }

        return names;
    }
}
