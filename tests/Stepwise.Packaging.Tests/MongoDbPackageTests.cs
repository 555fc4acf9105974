namespace Stepwise.Packaging.Tests;

/// <summary>
/// A service team's MongoDB migrations project built from the packed packages alone: the SW3xxx rules travel with the
/// package and fail the build on a call that bypasses the step's session; a clean project carries the MongoDB engine's
/// attribute, and its runner reaches for the server.
/// </summary>
public sealed class MongoDbPackageTests(PackedFeed feed)
{
    private static readonly string[] Packages = ["Stepwise.MongoDb", "Stepwise.Hosting"];

    private const string Migration = """
        using MongoDB.Bson;
        using Stepwise;
        using Stepwise.MongoDb;

        namespace Shop.Migrations;

        [Migration("1.0.0", 1, Description = "Seed the order statuses")]
        public sealed class SeedStatuses : MongoMigration
        {
            private static readonly BsonDocument Pending = new("_id", "pending");

            public override Task PreCheck(MongoContext db, CancellationToken ct) => db.RequireNoDocumentsAsync("statuses", Pending, "no status yet", ct);

            public override Task Up(MongoContext db, CancellationToken ct) => UP;

            public override Task Down(MongoContext db, CancellationToken ct) => db.DeleteManyAsync("statuses", Pending, ct);

            public override async Task Validate(MongoContext db, CancellationToken ct) =>
                Require(await db.CountAsync("statuses", Pending, ct) == 1, "status pending exists");
        }
        """;

    [Fact]
    public async Task CallThatBypassesTheSession_FailsTheBuild()
    {
        var (exitCode, output) = await BuildAsync("mongo-bypass", "db.Collection(\"statuses\").InsertOneAsync(Pending, cancellationToken: ct)");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("error SW3005", output, StringComparison.Ordinal);
        PackageReferenceBuildTests.AssertAnalyzersLoadedCleanly(output);
    }

    [Fact]
    public async Task CleanProject_FindsTheMongoDbEngine_AndReachesForTheServer()
    {
        var (exitCode, output) = await BuildAsync("mongo-clean", "db.InsertManyAsync(\"statuses\", [Pending], ct)");

        Assert.True(exitCode == 0, output);
        Assert.DoesNotContain("SW", output, StringComparison.Ordinal);

        // No server listens on port 1: the engine came from the package (exit 8 names MongoDB), not a usage error.
        var assembly = Path.Combine(feed.Root, "mongo-clean", "bin", "Debug", "net10.0", "Shop.Migrations.dll");
        var (runExit, runOutput) = await DotNet.RunAsync(Path.GetDirectoryName(assembly)!, environment: null, TestContext.Current.CancellationToken,
            assembly, "status", "--connection", "mongodb://127.0.0.1:1/shop?serverSelectionTimeoutMS=1000");
        Assert.True(runExit == 8, runOutput);
        Assert.Contains("No answer from MongoDB at 127.0.0.1:1", runOutput, StringComparison.Ordinal);
    }

    private async Task<(int ExitCode, string Output)> BuildAsync(string name, string up)
    {
        var project = await ServiceProject.CreateAsync(feed, name, new Dictionary<string, string> { ["SeedStatuses.cs"] = Migration.Replace("UP", up, StringComparison.Ordinal) },
            Packages);
        return await ServiceProject.DotNetAsync(feed, project, "build", "-nologo", "-v:minimal", "-p:TreatWarningsAsErrors=false");
    }
}
