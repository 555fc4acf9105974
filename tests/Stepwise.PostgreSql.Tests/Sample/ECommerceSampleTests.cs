using ECommerce.Migrations.Migrations;
using Stepwise.Hosting;
using Stepwise.PostgreSql.Tests.Cli;
using Stepwise.Testing;

namespace Stepwise.PostgreSql.Tests.Sample;

public sealed class ECommerceSampleTests(PostgresServer server)
{
    [Fact]
    public async Task SampleExecutable_InstallsAsTheReadmeShows()
    {
        await using var db = await server.CreateDatabaseAsync();
        var sample = BuiltExecutable.Dll("samples/ECommerce.Migrations", "ECommerce.Migrations");

        var run = await BuiltExecutable.RunAsync(sample,
            "install", "--project", "e-commerce-api", "--version", "v1.1.0", "--database-type", "postgresql", "--environment", "dev", "--connection", db.ConnectionString);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("e-commerce-api is at 1.1.0.", run.Output, StringComparison.Ordinal);
        Assert.Contains("Applying 1.1.0 AddOrderIndexes", run.Error, StringComparison.Ordinal);
        Assert.True(await db.TableExistsAsync("orders"));
        Assert.DoesNotContain(db.Settings.Password!, run.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SampleExecutable_ExitsWithTheDocumentedCodeOnBadInput()
    {
        var sample = BuiltExecutable.Dll("samples/ECommerce.Migrations", "ECommerce.Migrations");

        var run = await BuiltExecutable.RunAsync(sample, "install", "--project", "e-commerce", "--connection", "Host=127.0.0.1;Database=x");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("error: Unknown project 'e-commerce'. This runner knows: e-commerce-api. Check --project or the assemblies given to the runner.", run.Error.Trim());
    }

    [Fact]
    public async Task GenericRunner_LoadsTheSampleAssemblyAndRunsIt()
    {
        await using var db = await server.CreateDatabaseAsync();
        var runner = BuiltExecutable.Dll("src/Stepwise.Runner", "Stepwise.Runner");
        var sample = BuiltExecutable.Dll("samples/ECommerce.Migrations", "ECommerce.Migrations");

        var install = await BuiltExecutable.RunAsync(runner, "--assembly", sample, "install", "--version", "1.0.0", "--connection", db.ConnectionString);
        var status = await BuiltExecutable.RunAsync(runner, "--assembly-dir", Path.GetDirectoryName(sample)!, "status", "--output", "json", "--connection", db.ConnectionString);

        Assert.True(install.ExitCode == 0, install.ToString());
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("\"currentVersion\": \"1.0.0\"", status.Output, StringComparison.Ordinal);
        Assert.True(await db.TableExistsAsync("users"));
    }

    [Fact]
    public async Task GenericRunner_WithAMissingAssembly_IsAUsageError()
    {
        var runner = BuiltExecutable.Dll("src/Stepwise.Runner", "Stepwise.Runner");

        var run = await BuiltExecutable.RunAsync(runner, "--assembly", "/nowhere/Missing.dll", "status", "--connection", "Host=127.0.0.1;Database=x");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--assembly /nowhere/Missing.dll: no such file", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SampleMigrations_UpgradeCarriesDataAndRollbackRestoresEachVersion()
    {
        await using var db = await server.CreateDatabaseAsync();
        var error = new StringWriter();
        var options = () =>
        {
            var o = new StepwiseHostOptions { Output = new StringWriter(), Error = error, EnvironmentVariables = static _ => null };
            o.Assemblies.Add(typeof(CreateUsersTable).Assembly);
            return o;
        };
        string[] connection = ["--connection", db.ConnectionString];

        Assert.True(await StepwiseHost.RunAsync(["install", "--version", "1.1.0", .. connection], options(), TestContext.Current.CancellationToken) == 0, error.ToString());
        await db.ExecuteAsync(
            """
            INSERT INTO users (id, email, username) VALUES ('00000000-0000-0000-0000-000000000001', 'ada@example.test', 'ada');
            INSERT INTO orders (user_id, order_number, status, total_amount, created_at)
            VALUES ('00000000-0000-0000-0000-000000000001', 'A-1', 'shipped', 10, '2026-01-02'),
                   ('00000000-0000-0000-0000-000000000001', 'A-2', 'pending', 5, '2026-01-03');
            """);

        Assert.True(await StepwiseHost.RunAsync(["upgrade", "--version", "2.0.0", .. connection], options(), TestContext.Current.CancellationToken) == 0, error.ToString());
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM orders WHERE shipped_at = created_at"));
        Assert.True(await db.TableExistsAsync("order_items"));
        Assert.Equal(0L, await db.ScalarAsync<long>(
            "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'stepwise_backup_e_commerce_api_2_0_0' AND table_name = 'orders' AND column_name = 'shipped_at'"));
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM stepwise_backup_e_commerce_api_2_0_0.orders"));

        Assert.True(await StepwiseHost.RunAsync(["rollback", "--version", "1.1.0", .. connection], options(), TestContext.Current.CancellationToken) == 0, error.ToString());
        Assert.False(await db.TableExistsAsync("order_items"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'orders' AND column_name = 'shipped_at'"));
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM orders"));

        var last = await StepwiseHost.RunAsync(["rollback", "--version", "1.0.0", .. connection], options(), TestContext.Current.CancellationToken);
        Assert.True(last == 0, error.ToString());
        Assert.False(await db.TableExistsAsync("orders"));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM users"));
    }
}
