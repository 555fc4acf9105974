using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Stepwise.Packaging.Tests;

/// <summary>
/// A service team's view: a fresh project that references the packed packages by PackageReference, and nothing else.
/// The build must fail on an incomplete migration and pass on a complete one. This is the only check that the
/// analyzers actually load from the package (a Roslyn reference newer than the compiler makes them silently vanish).
/// </summary>
public sealed class PackageReferenceBuildTests(PackedFeed feed)
{
    private const string IncompleteMigration = """
        using Stepwise;
        using Stepwise.PostgreSql;

        namespace Shop.Migrations;

        [Migration("1.0.0", 1, Description = "Create orders")]
        public sealed class CreateOrders : PostgresMigration
        {
            public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("CREATE TABLE IF NOT EXISTS orders (id bigint)", ct);
        }
        """;

    private const string CompleteMigration = """
        using Stepwise;
        using Stepwise.PostgreSql;

        namespace Shop.Migrations;

        [Migration("1.0.0", 1, Description = "Create orders")]
        public sealed class CreateOrders : PostgresMigration
        {
            public override async Task PreCheck(PostgresContext db, CancellationToken ct) =>
                Require(!await db.TableExistsAsync("orders", ct), "table orders does not exist yet");

            public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("CREATE TABLE IF NOT EXISTS orders (id bigint)", ct);

            public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("DROP TABLE orders", ct);

            public override async Task Validate(PostgresContext db, CancellationToken ct) =>
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

        // The help link a package user gets opens the rule's page at the commit the packages were built from.
        Assert.Contains($"({PackedFeed.RepositoryUrl}/blob/e2e/docs/rules/SW1001.md)", output, StringComparison.Ordinal);
        AssertAnalyzersLoadedCleanly(output);
    }

    [Fact]
    public async Task CompleteMigration_BuildsWithItsChecksum()
    {
        var (exitCode, output) = await BuildAsync("complete", CompleteMigration);

        Assert.True(exitCode == 0, output);
        Assert.DoesNotContain("SW1", output, StringComparison.Ordinal);
        AssertAnalyzersLoadedCleanly(output);

        // The generator ran from the package too: the assembly carries its manifest of migrations and checksums.
        var assembly = Path.Combine(feed.Root, "complete", "bin", "Debug", "net10.0", "Shop.Migrations.dll");
        Assert.Contains("MigrationManifestAttribute", AssemblyAttributeTypes(assembly));

        // And the built project is a working runner: it discovers its migration and checks itself without a database.
        var (runExit, runOutput) = await DotNet.RunAsync(Path.GetDirectoryName(assembly)!, environment: null, TestContext.Current.CancellationToken,
            assembly, "config", "check");
        Assert.True(runExit == 0, runOutput);
        Assert.Contains("versions:      1.0.0 (1 migrations)", runOutput, StringComparison.Ordinal);

        // The engine package named its engine, and the generator repeated it on the project: the host finds PostgreSQL
        // with no code, and names the package to add for an engine the project does not reference.
        Assert.Contains("StepwiseEngineAttribute", AssemblyAttributeTypes(assembly));
        var (mongoExit, mongoOutput) = await DotNet.RunAsync(Path.GetDirectoryName(assembly)!, environment: null, TestContext.Current.CancellationToken,
            assembly, "status", "--database-type", "mongodb", "--connection", "Host=127.0.0.1;Database=shop;Username=nobody");
        Assert.True(mongoExit == 2, mongoOutput);
        Assert.Contains("This runner has no mongodb engine (it has postgresql): add a PackageReference to Stepwise.MongoDb", mongoOutput,
            StringComparison.Ordinal);

        // The SDK's container route (dotnet publish -t:PublishContainer) gets the runner image's settings from the package.
        var project = Path.Combine(feed.Root, "complete");
        var (propertyExit, user) = await ServiceProject.DotNetAsync(feed, project, "msbuild", "-nologo", "-getProperty:ContainerUser");
        Assert.True(propertyExit == 0, user);
        Assert.Equal("10001", user.Trim());
    }

    private async Task<(int ExitCode, string Output)> BuildAsync(string name, string migration)
    {
        var project = await ServiceProject.CreateAsync(feed, name, new Dictionary<string, string> { ["CreateOrders.cs"] = migration });
        return await ServiceProject.DotNetAsync(feed, project, "build", "-nologo", "-v:minimal", "-p:TreatWarningsAsErrors=false");
    }

    [Theory]
    [InlineData("Stepwise")]
    [InlineData("Stepwise.PostgreSql")]
    [InlineData("Stepwise.MongoDb")]
    public void Package_CarriesTheRepositoryAddress(string id)
    {
        using var package = System.IO.Compression.ZipFile.OpenRead(Path.Combine(feed.Feed, $"{id}.{feed.Version}.nupkg"));
        using var nuspec = new StreamReader(package.GetEntry(id + ".nuspec")!.Open());
        var text = nuspec.ReadToEnd();

        Assert.Contains($"<repository type=\"git\" url=\"{PackedFeed.RepositoryUrl}\"", text, StringComparison.Ordinal);
        Assert.Contains($"<projectUrl>{PackedFeed.RepositoryUrl}</projectUrl>", text, StringComparison.Ordinal);
    }

    internal static void AssertAnalyzersLoadedCleanly(string output)
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
