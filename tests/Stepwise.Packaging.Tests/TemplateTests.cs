using System.Text.RegularExpressions;
using Stepwise.Testing;

namespace Stepwise.Packaging.Tests;

/// <summary>
/// The packed Stepwise.Templates package, with real `dotnet new` in a template hive of the test's own: the commands of
/// README's "Start a migrations project", then every parameter's effect, and bad parameters.
/// </summary>
public sealed partial class TemplateTests(PackedFeed feed, PostgresServer server)
{
    private readonly string _hive = Path.Combine(feed.Root, "hive-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public async Task ReadmeCommands_TakeANewTeamFromTheTemplatesToAMigratedDatabase()
    {
        var work = await WorkFolderAsync("readme");
        await InstallAsync();

        var list = await NewAsync(work, "list", "stepwise");
        Assert.Contains("stepwise-project", list, StringComparison.Ordinal);
        Assert.Contains("stepwise-migration", list, StringComparison.Ordinal);
        Assert.Contains("Stepwise migrations project", list, StringComparison.Ordinal);

        // README: dotnet new stepwise-project -n Shop.Migrations; cd Shop.Migrations; dotnet new stepwise-migration ...
        await NewAsync(work, "stepwise-project", "-n", "Shop.Migrations");
        var project = Path.Combine(work, "Shop.Migrations");
        await NewAsync(project, "stepwise-migration", "--version", "1.1.0", "--description", "Add orders table");

        // dotnet build: red until the team writes real code, with exactly the rules that say what to write.
        var (failed, scaffoldOutput) = await DotNetAsync(project, "build", "-nologo", "-v:minimal");
        Assert.NotEqual(0, failed);
        Assert.Equal(
            [
                "AddOrdersTable.cs SW1001", "AddOrdersTable.cs SW1002", "AddOrdersTable.cs SW1003", "AddOrdersTable.cs SW1015",
                "CreateSchema.cs SW1001", "CreateSchema.cs SW1002", "CreateSchema.cs SW1003",
            ],
            Diagnostics(scaffoldOutput));
        Assert.Contains("add 'v1.1.0: { upgrades_to: [], rollback_to: [v1.0.0] }', and v1.1.0 to the upgrades_to of v1.0.0", scaffoldOutput,
            StringComparison.Ordinal);
        PackageReferenceBuildTests.AssertAnalyzersLoadedCleanly(scaffoldOutput);

        // The team writes the migrations and the matrix entry the build asked for.
        await File.WriteAllTextAsync(Path.Combine(project, "Versions", "V1_0_0", "NewInstall", "CreateSchema.cs"), CreateSchema, TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(project, "Versions", "V1_1_0", "Upgrade", "AddOrdersTable.cs"), AddOrdersTable, TestContext.Current.CancellationToken);
        var config = Path.Combine(project, "project-config.yaml");
        await File.WriteAllTextAsync(config, (await File.ReadAllTextAsync(config, TestContext.Current.CancellationToken)).Replace(
            "    v1.0.0:\n      upgrades_to: []\n      rollback_to: []\n",
            "    v1.0.0:\n      upgrades_to: [v1.1.0]\n      rollback_to: []\n    v1.1.0:\n      upgrades_to: []\n      rollback_to: [v1.0.0]\n",
            StringComparison.Ordinal), TestContext.Current.CancellationToken);

        var (built, buildOutput) = await DotNetAsync(project, "build", "-nologo", "-v:minimal");
        Assert.True(built == 0, buildOutput);
        Assert.DoesNotMatch(@"\bwarning\b", buildOutput.Replace("0 Warning(s)", "", StringComparison.Ordinal));

        // dotnet run: the project's own runner installs 1.0.0, then upgrades to 1.1.0.
        await using var db = await server.CreateDatabaseAsync();
        var (installed, installOutput) = await DotNetAsync(project, "run", "--no-build", "--", "install", "--version", "1.0.0", "--connection", db.ConnectionString);
        Assert.True(installed == 0, installOutput);
        Assert.Contains("shop is at 1.0.0.", installOutput, StringComparison.Ordinal);
        var (upgraded, upgradeOutput) = await DotNetAsync(project, "run", "--no-build", "--", "upgrade", "--connection", db.ConnectionString);
        Assert.True(upgraded == 0, upgradeOutput);
        Assert.Contains("shop is at 1.1.0.", upgradeOutput, StringComparison.Ordinal);
        Assert.True(await db.TableExistsAsync("orders"));
        Assert.DoesNotContain(db.Settings.Password!, installOutput + upgradeOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProjectTemplate_TakesItsNameEngineAndFrameworkFromTheParameters()
    {
        var work = await WorkFolderAsync("project");
        await InstallAsync();

        await NewAsync(work, "stepwise-project", "-n", "Billing.Migrations", "--project-name", "billing-api", "--engine", "postgresql", "--framework", "net10.0");

        var project = Path.Combine(work, "Billing.Migrations");
        var csproj = await ReadAsync(project, "Billing.Migrations.csproj");
        Assert.Contains("<RootNamespace>Billing.Migrations</RootNamespace>", csproj, StringComparison.Ordinal);
        Assert.Contains("<TargetFramework>net10.0</TargetFramework>", csproj, StringComparison.Ordinal);
        Assert.Contains($"<PackageReference Include=\"Stepwise.PostgreSql\" Version=\"{feed.Version}\" />", csproj, StringComparison.Ordinal);
        Assert.Contains($"<PackageReference Include=\"Stepwise.Hosting\" Version=\"{feed.Version}\" />", csproj, StringComparison.Ordinal);
        Assert.Contains("[assembly: MigrationProject(\"billing-api\")]", await ReadAsync(project, "Program.cs"), StringComparison.Ordinal);
        var config = await ReadAsync(project, "project-config.yaml");
        Assert.Contains("  name: billing-api", config, StringComparison.Ordinal);
        Assert.Contains("      name: billing_api", config, StringComparison.Ordinal);
        Assert.Contains("require_rollback: true", config, StringComparison.Ordinal);
        Assert.Contains("namespace Billing.Migrations.Versions.V1_0_0.NewInstall;", await ReadAsync(project, "Versions/V1_0_0/NewInstall/CreateSchema.cs"),
            StringComparison.Ordinal);
        Assert.Contains("ARG APP=Billing.Migrations", await ReadAsync(project, "Containerfile"), StringComparison.Ordinal);
        var values = await ReadAsync(project, "deploy/migrations-values.yaml");
        Assert.Contains("project: billing-api", values, StringComparison.Ordinal);
        Assert.DoesNotContain("databaseType", values, StringComparison.Ordinal);
        Assert.DoesNotContain("#if", values, StringComparison.Ordinal);
        Assert.Contains("dotnet_diagnostic.SW1001.severity = error", await ReadAsync(project, ".editorconfig"), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(project, "README.md")));

        // Without --project-name, the name comes from -n: lower case, without .Migrations.
        await NewAsync(work, "stepwise-project", "-n", "Order.Service.Migrations");
        Assert.Contains("[assembly: MigrationProject(\"order-service\")]", await ReadAsync(Path.Combine(work, "Order.Service.Migrations"), "Program.cs"),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task MigrationTemplate_PlacesAndWritesTheMigrationAsItsParametersSay()
    {
        var work = await WorkFolderAsync("migration");
        await InstallAsync();
        await NewAsync(work, "stepwise-project", "-n", "Shop.Migrations");
        var project = Path.Combine(work, "Shop.Migrations");

        await NewAsync(project, "stepwise-migration", "--version", "v2.0.0", "--order", "3", "--description", "index order lines", "--path", "new-install",
            "--phase", "indexes");
        await NewAsync(project, "stepwise-migration", "--version", "2.0.0", "--order", "2", "--description", "backfill totals", "--phase", "data-migration",
            "--from-version", "1.1.0");

        var indexes = await ReadAsync(project, "Versions/V2_0_0/NewInstall/IndexOrderLines.cs");
        Assert.Contains("namespace Shop.Migrations.Versions.V2_0_0.NewInstall;", indexes, StringComparison.Ordinal);
        Assert.Contains("[Migration(\"v2.0.0\", 3, Path = MigrationPath.NewInstall, Phase = MigrationPhase.Indexes, Description = \"index order lines\")]", indexes,
            StringComparison.Ordinal);
        Assert.Contains("public sealed class IndexOrderLines : PostgresMigration", indexes, StringComparison.Ordinal);
        var backfill = await ReadAsync(project, "Versions/V2_0_0/Upgrade/BackfillTotals.cs");
        Assert.Contains("[Migration(\"2.0.0\", 2, Phase = MigrationPhase.DataMigration, From = \"1.1.0\", Description = \"backfill totals\")]", backfill,
            StringComparison.Ordinal);
        Assert.DoesNotContain("#if", backfill, StringComparison.Ordinal);

        var help = await NewAsync(project, "stepwise-migration", "--help");
        foreach (var parameter in new[] { "--version", "--order", "--description", "--path", "--phase", "--from-version" })
        {
            Assert.Contains(parameter, help, StringComparison.Ordinal);
        }

        Assert.Contains("post-upgrade", help, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MongoDbEngine_ScaffoldsAProject_WhoseMigrationsAreWrittenForMongoDb()
    {
        var work = await WorkFolderAsync("mongodb");
        await InstallAsync();

        await NewAsync(work, "stepwise-project", "-n", "Catalog.Migrations", "--engine", "mongodb");
        var project = Path.Combine(work, "Catalog.Migrations");
        // No --engine: the project says which (StepwiseEngine).
        await NewAsync(project, "stepwise-migration", "--version", "1.1.0", "--description", "Index products by sku");

        var csproj = await ReadAsync(project, "Catalog.Migrations.csproj");
        Assert.Contains($"<PackageReference Include=\"Stepwise.MongoDb\" Version=\"{feed.Version}\" />", csproj, StringComparison.Ordinal);
        Assert.DoesNotContain("Stepwise.PostgreSql", csproj, StringComparison.Ordinal);
        var config = await ReadAsync(project, "project-config.yaml");
        Assert.Contains("      type: mongodb", config, StringComparison.Ordinal);
        Assert.DoesNotContain("lock_timeout", config, StringComparison.Ordinal);
        Assert.Contains("--self-contained", await ReadAsync(project, "Containerfile"), StringComparison.Ordinal);
        Assert.Contains("mongodb://", await ReadAsync(project, "README.md"), StringComparison.Ordinal);
        // The chart's defaults are PostgreSQL's: the values say which engine the image runs and which port it reaches.
        var values = await ReadAsync(project, "deploy/migrations-values.yaml");
        Assert.Contains("\ndatabaseType: mongodb\n", values, StringComparison.Ordinal);
        Assert.Contains("  databasePort: 27017\n", values, StringComparison.Ordinal);
        Assert.DoesNotContain("#if", values, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(project, "Containerfile.MongoDb")));
        var migration = await ReadAsync(project, "Versions/V1_1_0/Upgrade/IndexProductsBySku.cs");
        Assert.Contains("public sealed class IndexProductsBySku : MongoMigration", migration, StringComparison.Ordinal);
        Assert.DoesNotContain("#if", migration, StringComparison.Ordinal);

        // Red with exactly the contract's rules, as a PostgreSQL project is: everything else compiles against the MongoDB package.
        var (failed, scaffoldOutput) = await DotNetAsync(project, "build", "-nologo", "-v:minimal");
        Assert.NotEqual(0, failed);
        Assert.Equal(
            [
                "CreateSchema.cs SW1001", "CreateSchema.cs SW1002", "CreateSchema.cs SW1003",
                "IndexProductsBySku.cs SW1001", "IndexProductsBySku.cs SW1002", "IndexProductsBySku.cs SW1003", "IndexProductsBySku.cs SW1015",
            ],
            Diagnostics(scaffoldOutput));
        Assert.DoesNotContain("error CS", scaffoldOutput, StringComparison.Ordinal);

        // Written as the comments suggest, it builds clean, and its runner reaches for MongoDB.
        await File.WriteAllTextAsync(Path.Combine(project, "Versions", "V1_0_0", "NewInstall", "CreateSchema.cs"), CreateProducts, TestContext.Current.CancellationToken);
        File.Delete(Path.Combine(project, "Versions", "V1_1_0", "Upgrade", "IndexProductsBySku.cs"));
        var (built, buildOutput) = await DotNetAsync(project, "build", "-nologo", "-v:minimal");
        Assert.True(built == 0, buildOutput);
        var (ran, runOutput) = await DotNetAsync(project, "run", "--no-build", "--", "status", "--connection",
            "mongodb://127.0.0.1:1/catalog?serverSelectionTimeoutMS=1000");
        Assert.True(ran == 8, runOutput);
        Assert.Contains("No answer from MongoDB at 127.0.0.1:1", runOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--version", "1.1", "--description", "Add orders" }, "Versions/V1_1/Upgrade/AddOrders.cs", "SW1008")]
    [InlineData(new[] { "--version", "1.0.0", "--order", "0", "--description", "Add orders" }, "Versions/V1_0_0/Upgrade/AddOrders.cs", "SW1009")]
    [InlineData(new[] { "--version", "1.0.0", "--path", "new-install", "--phase", "schema-changes", "--description", "Add orders" },
        "Versions/V1_0_0/NewInstall/AddOrders.cs", "SW1011")]
    public async Task BadParameterTheTemplateCannotJudge_IsNamedByTheBuild(string[] args, string file, string rule)
    {
        var work = await WorkFolderAsync("bad-" + rule);
        await InstallAsync();
        await NewAsync(work, "stepwise-project", "-n", "Shop.Migrations");
        var project = Path.Combine(work, "Shop.Migrations");

        await NewAsync(project, ["stepwise-migration", .. args]);
        var (exit, output) = await DotNetAsync(project, "build", "-nologo", "-v:minimal");

        Assert.True(File.Exists(Path.Combine(project, file)), file);
        Assert.NotEqual(0, exit);
        Assert.Contains($"{Path.GetFileName(file)}", output, StringComparison.Ordinal);
        Assert.Contains($"error {rule}:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PhaseTheTemplateDoesNotKnow_IsRefusedWithTheChoices()
    {
        var work = await WorkFolderAsync("phase");
        await InstallAsync();
        await NewAsync(work, "stepwise-project", "-n", "Shop.Migrations");

        var (exit, output) = await DotNet.RunAsync(Path.Combine(work, "Shop.Migrations"), null, TestContext.Current.CancellationToken,
            "new", "stepwise-migration", "--version", "1.0.0", "--description", "x", "--phase", "sideways", "--debug:custom-hive", _hive);

        Assert.NotEqual(0, exit);
        Assert.Contains("sideways", output, StringComparison.Ordinal);
        Assert.Contains("schema-changes", output, StringComparison.Ordinal);
    }

    private const string CreateSchema = """
        using Stepwise;
        using Stepwise.PostgreSql;

        namespace Shop.Migrations.Versions.V1_0_0.NewInstall;

        [Migration("1.0.0", 1, Path = MigrationPath.NewInstall, Phase = MigrationPhase.Schema, Description = "Create the schema")]
        public sealed class CreateSchema : PostgresMigration
        {
            public override Task PreCheck(PostgresContext db, CancellationToken ct) => db.RequireNoTableAsync("customers", ct);

            public override Task Up(PostgresContext db, CancellationToken ct) =>
                db.ExecuteAsync("CREATE TABLE IF NOT EXISTS customers (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL)", ct);

            public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("DROP TABLE IF EXISTS customers", ct);

            public override Task Validate(PostgresContext db, CancellationToken ct) => db.RequireTableAsync("customers", ct);
        }
        """;

    private const string AddOrdersTable = """
        using Stepwise;
        using Stepwise.PostgreSql;

        namespace Shop.Migrations.Versions.V1_1_0.Upgrade;

        [Migration("1.1.0", 1, Description = "Add orders table")]
        public sealed class AddOrdersTable : PostgresMigration
        {
            public override Task PreCheck(PostgresContext db, CancellationToken ct) => db.RequireNoTableAsync("orders", ct);

            public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync(
                "CREATE TABLE IF NOT EXISTS orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, customer_id bigint NOT NULL)", ct);

            public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("DROP TABLE IF EXISTS orders", ct);

            public override Task Validate(PostgresContext db, CancellationToken ct) => db.RequireTableAsync("orders", ct);
        }
        """;

    private const string CreateProducts = """
        using MongoDB.Bson;
        using Stepwise;
        using Stepwise.MongoDb;

        namespace Catalog.Migrations.Versions.V1_0_0.NewInstall;

        [Migration("1.0.0", 1, Path = MigrationPath.NewInstall, Phase = MigrationPhase.Schema, Description = "Create the collections")]
        [NonTransactional("Down drops collections, which MongoDB refuses inside a transaction; Up is safe to run again")]
        public sealed class CreateSchema : MongoMigration
        {
            public override Task PreCheck(MongoContext db, CancellationToken ct) => db.RequireNoCollectionAsync("products", ct);

            public override async Task Up(MongoContext db, CancellationToken ct)
            {
                if (!await db.CollectionExistsAsync("products", ct))
                {
                    await db.CreateCollectionAsync("products", ct);
                }

                await db.CreateIndexAsync("products", new BsonDocument("sku", 1), "products_sku", unique: true, ct);
            }

            public override Task Down(MongoContext db, CancellationToken ct) => db.DropCollectionAsync("products", ct);

            public override async Task Validate(MongoContext db, CancellationToken ct)
            {
                await db.RequireCollectionAsync("products", ct);
                await db.RequireIndexAsync("products", "products_sku", ct);
            }
        }
        """;

    // A folder of its own under the feed's root, with a NuGet.config that adds the packed feed (as a team adds its own).
    private async Task<string> WorkFolderAsync(string name)
    {
        var work = Path.Combine(feed.Root, "templates-" + name + "-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(work);
        await feed.WriteNuGetConfigAsync(work, TestContext.Current.CancellationToken);
        return work;
    }

    // README: dotnet new install Stepwise.Templates (here from the packed .nupkg, offline, into the test's own hive).
    private async Task InstallAsync()
    {
        var package = Path.Combine(feed.Feed, $"Stepwise.Templates.{feed.Version}.nupkg");
        var (exit, output) = await DotNet.RunAsync(feed.Root, null, TestContext.Current.CancellationToken, "new", "install", package, "--debug:custom-hive", _hive);
        Assert.True(exit == 0, output);
    }

    private async Task<string> NewAsync(string directory, params string[] args)
    {
        // The project template restores what it created: from the packed feed, into the run's own package folder.
        var (exit, output) = await DotNet.RunAsync(directory, new Dictionary<string, string> { ["NUGET_PACKAGES"] = feed.PackagesFolder },
            TestContext.Current.CancellationToken, ["new", .. args, "--debug:custom-hive", _hive]);
        TestContext.Current.TestOutputHelper?.WriteLine($"dotnet new {string.Join(' ', args)} -> {exit}\n{output}");
        Assert.True(exit == 0, output);
        return output;
    }

    private Task<(int ExitCode, string Output)> DotNetAsync(string project, params string[] args) => ServiceProject.DotNetAsync(feed, project, args);

    private static Task<string> ReadAsync(string project, string file) => File.ReadAllTextAsync(Path.Combine(project, file), TestContext.Current.CancellationToken);

    // Each file and rule the build reported, once, sorted.
    private static string[] Diagnostics(string output) =>
        BuildDiagnostic().Matches(output).Select(static m => $"{m.Groups[1].Value} {m.Groups[2].Value}").Distinct().Order(StringComparer.Ordinal).ToArray();

    [GeneratedRegex(@"([A-Za-z0-9_]+\.cs)\(\d+,\d+\): error (SW\d{4}):")]
    private static partial Regex BuildDiagnostic();
}
