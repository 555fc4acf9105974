using System.Runtime.InteropServices;
using Stepwise.Testing;

namespace Stepwise.Packaging.Tests;

/// <summary>
/// The runner image as README.md ships it: a service team's project, from the packed packages, published with Native
/// AOT with warnings as errors, then run against a real PostgreSQL. Trimming removes what nothing references, so only
/// a real publish and a real run prove that discovery, the checks, rollback and the bookkeeping survive it.
/// </summary>
public sealed class NativeAotRunnerTests(PackedFeed feed, PostgresServer server)
{
    private const string Migrations = """
        using Stepwise;
        using Stepwise.PostgreSql;

        namespace Shop.Migrations;

        [Migration("1.0.0", 1, Description = "Create orders")]
        public sealed class CreateOrders : PostgresMigration
        {
            public override Task PreCheck(PostgresContext db, CancellationToken ct) => db.RequireNoTableAsync("orders", ct);

            public override Task Up(PostgresContext db, CancellationToken ct) =>
                db.ExecuteAsync("CREATE TABLE IF NOT EXISTS orders (id bigint PRIMARY KEY, total numeric NOT NULL)", ct);

            public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("DROP TABLE IF EXISTS orders", ct);

            public override Task Validate(PostgresContext db, CancellationToken ct) => db.RequireTableAsync("orders", ct);
        }

        [Migration("1.1.0", 1, Description = "Record the currency")]
        public sealed class AddCurrency : PostgresMigration
        {
            public override Task PreCheck(PostgresContext db, CancellationToken ct) => db.RequireNoColumnAsync("orders", "currency", ct);

            public override Task Up(PostgresContext db, CancellationToken ct) =>
                db.ExecuteAsync("SET LOCAL lock_timeout = '5s'; ALTER TABLE orders ADD COLUMN IF NOT EXISTS currency text", ct);

            public override Task Down(PostgresContext db, CancellationToken ct) =>
                db.ExecuteAsync("SET LOCAL lock_timeout = '5s'; ALTER TABLE orders DROP COLUMN IF EXISTS currency", ct);

            public override async Task Validate(PostgresContext db, CancellationToken ct)
            {
                await db.RequireColumnAsync("orders", "currency", ct);
                Require(await db.ScalarAsync<int>("SELECT count(*) FROM orders", ct) == 0, "orders is still empty");
            }
        }

        // The team's own audit sink: the generator names it on the assembly, the runner creates it.
        public sealed class ConsoleSink : Stepwise.Observing.IAuditSink
        {
            public void Write(Stepwise.Observing.AuditEntry entry) => Console.Error.WriteLine($"team sink: {entry.Event} {entry.Migration ?? "-"}");
        }
        """;

    private const string ParameterObjectMigration = """
        using Stepwise;
        using Stepwise.PostgreSql;

        namespace Shop.Migrations;

        [Migration("1.0.0", 1, Description = "Seed a setting")]
        public sealed class SeedSetting : PostgresMigration
        {
            public override Task PreCheck(PostgresContext db, CancellationToken ct) => db.RequireTableAsync("settings", ct);

            public override Task Up(PostgresContext db, CancellationToken ct) =>
                db.ExecuteAsync("INSERT INTO settings (name) VALUES (@name)", new { name = "currency" }, ct);

            public override Task Down(PostgresContext db, CancellationToken ct) =>
                db.ExecuteAsync("DELETE FROM settings WHERE name = 'currency'", ct);

            public override Task Validate(PostgresContext db, CancellationToken ct) => db.RequireTableAsync("settings", ct);
        }
        """;

    [Fact]
    public async Task PublishedWithNativeAot_InstallsRollsBackAndFindsNothingToDo()
    {
        SkipWithoutNativeToolchain();
        var project = await ServiceProject.CreateAsync(feed, "aot", new Dictionary<string, string> { ["Migrations.cs"] = Migrations });
        var output = Path.Combine(project, "out");
        var (publishExit, publishOutput) = await ServiceProject.DotNetAsync(feed, project,
            "publish", "-nologo", "-v:minimal", "-r", RuntimeInformation.RuntimeIdentifier, "-p:PublishAot=true", "-p:TreatWarningsAsErrors=true",
            "-o", output);
        Assert.True(publishExit == 0, publishOutput);
        PackageReferenceBuildTests.AssertAnalyzersLoadedCleanly(publishOutput);
        var runner = Path.Combine(output, "Shop.Migrations");
        Assert.True(File.Exists(runner), $"no native executable at {runner}");
        Assert.False(File.Exists(Path.Combine(output, "Shop.Migrations.dll")), "the publish produced IL, not a native executable");

        await using var database = await server.CreateDatabaseAsync("aot");
        async Task<string> RunAsync(params string[] arguments)
        {
            var (exit, text) = await DotNet.RunExecutableAsync(runner, TestContext.Current.CancellationToken,
                [.. arguments, "--connection", database.ConnectionString, "--environment", "test"]);
            TestContext.Current.TestOutputHelper?.WriteLine($"{string.Join(' ', arguments)} -> {exit}\n{text}");
            Assert.True(exit == 0, text);
            return text;
        }

        var install = await RunAsync("install");
        Assert.Contains("shop is at 1.1.0", install, StringComparison.Ordinal);
        Assert.Equal(["run.started -", "step.finished CreateOrders", "step.finished AddCurrency", "run.finished -"],
            install.Split('\n').Where(static l => l.StartsWith("team sink: ", StringComparison.Ordinal)).Select(static l => l["team sink: ".Length..].TrimEnd()));
        Assert.True(await database.TableExistsAsync("orders"));
        Assert.Equal(2L, await database.ScalarAsync<long>("SELECT count(*) FROM stepwise.applied_migration WHERE project = 'shop'"));

        Assert.Contains("nothing to do", await RunAsync("upgrade"), StringComparison.Ordinal);

        // Rollback needs Down to be found overridden, which reads the class's methods by reflection after trimming.
        Assert.Contains("shop is at 1.0.0", await RunAsync("rollback", "--version", "1.0.0"), StringComparison.Ordinal);
        Assert.Equal(0L, await database.ScalarAsync<long>(
            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'orders' AND column_name = 'currency'"));
        Assert.Contains("\"currentVersion\": \"1.0.0\"", await RunAsync("status", "--output", "json"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ParameterObjectUnderNativeAot_IsNamedByTheBuild()
    {
        var project = await ServiceProject.CreateAsync(feed, "aot-parameters",
            new Dictionary<string, string> { ["SeedSetting.cs"] = ParameterObjectMigration });

        // PublishAot turns on the AOT analyzers at build time already: no native toolchain needed to see the warning.
        var (exit, output) = await ServiceProject.DotNetAsync(feed, project,
            "build", "-nologo", "-v:minimal", "-p:PublishAot=true", "-p:TreatWarningsAsErrors=true");

        Assert.NotEqual(0, exit);
        Assert.Contains("SeedSetting.cs", output, StringComparison.Ordinal);
        Assert.Contains("error IL3050", output, StringComparison.Ordinal);
        Assert.Contains("PostgresContext.ExecuteAsync(String, Object, CancellationToken)", output, StringComparison.Ordinal);
    }

    // Native AOT links with the platform's C toolchain, which a build machine may lack: say so rather than pass.
    private static void SkipWithoutNativeToolchain()
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        if (!OperatingSystem.IsLinux() || !path.Any(dir => File.Exists(Path.Combine(dir, "clang")) || File.Exists(Path.Combine(dir, "gcc"))))
        {
            Assert.Skip("Native AOT needs Linux with clang or gcc on PATH to link the runner; none was found here.");
        }
    }
}
