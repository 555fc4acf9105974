using Stepwise.Testing;
using static Stepwise.PostgreSql.Tests.Cli.StepwiseCli;

namespace Stepwise.PostgreSql.Tests.Cli;

public sealed class CommandLineTests(PostgresServer server)
{
    private const string Password = "Sup3r-Secret-Pw";

    [Fact]
    public async Task WrongPassword_IsAConnectionErrorThatNeverShowsThePassword()
    {
        await using var db = await server.CreateDatabaseAsync();
        var settings = db.Settings;
        settings.Password = Password;

        var run = await RunAsync(Ledger, null, "install", "--connection", settings.ConnectionString);

        Assert.Equal(8, run.ExitCode);
        Assert.Contains($"refused the credentials of user '{settings.Username}'", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, run.All, StringComparison.Ordinal);
        Assert.Single(run.Error.Trim().Split('\n'));
    }

    [Fact]
    public async Task UnreachableServer_IsAConnectionErrorNamingHostAndPort()
    {
        var run = await RunAsync(Ledger, null, "status", "--connection", $"Host=127.0.0.1;Port=1;Database=x;Username=u;Password={Password};Timeout=3");

        Assert.Equal(8, run.ExitCode);
        Assert.Contains("Cannot reach PostgreSQL at 127.0.0.1:1, database 'x': connection refused (nothing listens on that port, or a firewall rejects it). " +
            "Check Host and Port in --connection", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, run.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingDatabase_IsAConnectionErrorNamingIt()
    {
        await using var db = await server.CreateDatabaseAsync();
        var settings = db.Settings;
        settings.Database = "no_such_database";

        var run = await RunAsync(Ledger, null, "status", "--connection", settings.ConnectionString);

        Assert.Equal(8, run.ExitCode);
        Assert.Contains($"PostgreSQL at {settings.Host}:{settings.Port} has no database named 'no_such_database'. Create it first", run.Error, StringComparison.Ordinal);
        Assert.Contains("or correct Database in --connection.", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("DB_NAME", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingDatabaseFromTheVariables_SaysToCorrectDbName()
    {
        await using var db = await server.CreateDatabaseAsync();
        var settings = db.Settings;
        var environment = new Dictionary<string, string>
        {
            ["DB_HOST"] = settings.Host!,
            ["DB_PORT"] = settings.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DB_NAME"] = "no_such_database",
            ["DB_USER"] = settings.Username!,
            ["DB_PASSWORD"] = settings.Password!,
        };

        var run = await RunAsync(Ledger, environment, "status");

        Assert.Equal(8, run.ExitCode);
        Assert.Contains("has no database named 'no_such_database'. Create it first (Stepwise migrates a database, it does not create one), or correct DB_NAME.",
            run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DatabaseEnvironmentVariables_AreTheOriginalDesignsWayToConnect()
    {
        await using var db = await server.CreateDatabaseAsync();
        var settings = db.Settings;
        var environment = new Dictionary<string, string>
        {
            ["DB_HOST"] = settings.Host!,
            ["DB_PORT"] = settings.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DB_NAME"] = settings.Database!,
            ["DB_USER"] = settings.Username!,
            ["DB_PASSWORD"] = settings.Password!,
        };

        var run = await RunAsync(Ledger, environment, "install", "--version", "1.0.0");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(await db.TableExistsAsync("accounts"));
    }

    [Fact]
    public async Task ConnectionStringFromTheEnvironment_IsUsedWhenNoOptionIsGiven()
    {
        await using var db = await server.CreateDatabaseAsync();

        var run = await RunAsync(Ledger, new Dictionary<string, string> { ["STEPWISE_CONNECTION"] = db.ConnectionString }, "status", "--output", "json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("\"project\": \"ledger\"", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoConnectionAtAll_IsAUsageErrorSayingWhatToSet()
    {
        var run = await RunAsync(Ledger, null, "status");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("No database connection: pass --connection, or set STEPWISE_CONNECTION, or DB_HOST", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedConnectionString_IsAUsageErrorThatDoesNotEchoIt()
    {
        var run = await RunAsync(Ledger, null, "status", "--connection", $"Host=localhost;Sneaky;Password={Password};Database=x");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("The connection string has 'Sneaky' without '='", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, run.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostgresUri_ConnectsLikeEveryOtherPostgresTool_AndNeverShowsItsPassword()
    {
        await using var db = await server.CreateDatabaseAsync();
        var settings = db.Settings;
        var role = "uri_" + db.Name;
        await db.ExecuteAsync($"""
            CREATE ROLE {role} LOGIN PASSWORD '{Password}@:/';
            GRANT ALL ON DATABASE "{db.Name}" TO {role};
            GRANT ALL ON SCHEMA public TO {role};
            """);
        try
        {
            // The password's '@', ':' and '/' are written %-encoded, as in any PostgreSQL URI.
            var uri = $"postgresql://{role}:{Uri.EscapeDataString(Password + "@:/")}@{settings.Host}:{settings.Port}/{settings.Database}" +
                "?sslmode=disable&application_name=uri-test&connect_timeout=5";

            var run = await RunAsync(Ledger, null, "install", "--version", "1.0.0", "--connection", uri, "--log-level", "trace");

            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.True(await db.TableExistsAsync("accounts"));
            Assert.DoesNotContain(Password, run.All, StringComparison.Ordinal);
        }
        finally
        {
            await db.ExecuteAsync($"DROP OWNED BY {role} CASCADE; DROP ROLE {role};");
        }
    }

    [Theory]
    [InlineData(new[] { "install", "--project", "billing" }, "Unknown project 'billing'. This runner knows: ledger.")]
    [InlineData(new[] { "install", "--version", "1.0" }, "--version: '1.0' is not a semantic version")]
    [InlineData(new[] { "install", "--version", "9.0.0" }, "Unknown version 9.0.0 for project ledger. Known versions: 1.0.0, 1.1.0, 2.0.0.")]
    [InlineData(new[] { "install", "--database-type", "mongodb" },
        "This runner has no mongodb engine (it has postgresql): add a PackageReference to Stepwise.MongoDb to the migrations project")]
    [InlineData(new[] { "install", "--database-type", "oracle" }, "oracle")]
    [InlineData(new[] { "install", "--project", "Not A Name" }, "is not a project name")]
    [InlineData(new[] { "install", "--no-such-option" }, "--no-such-option")]
    [InlineData(new[] { "install", "--lock-timeout", "soon" }, "'soon' is not a duration")]
    [InlineData(new[] { "rollback" }, "rollback needs --version")]
    [InlineData(new[] { "--version", "1.1.0", "upgrade" }, "--version goes after the command and names the version to reach (e.g. 'upgrade --version 1.1.0')")]
    [InlineData(new[] { "plan", "downgrade" }, "'downgrade'")]
    public async Task BadInput_IsAUsageErrorBeforeAnyDatabaseWork(string[] args, string expected)
    {
        await using var db = await server.CreateDatabaseAsync();

        var run = await RunAsync(db, Ledger, args);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
        Assert.False(await db.ScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'stepwise')"));
    }

    [Theory]
    [InlineData("main: { type: mongodb }", new string[0], "This runner has no mongodb engine (it has postgresql): add a PackageReference to Stepwise.MongoDb")]
    [InlineData("main: { type: mongodb }", new[] { "--database-type", "postgresql" }, "--database-type postgresql, but spec.databases in")]
    [InlineData("main: { type: postgresql }", new[] { "--database-type", "mongodb" }, "declares postgresql. Choose postgresql, or declare the mongodb database")]
    [InlineData("main: { type: postgresql }, events: { type: mongodb }", new string[0], "declares mongodb and postgresql: say which with --database-type")]
    public async Task DatabaseType_IsCheckedAgainstSpecDatabases_BeforeAnyDatabaseWork(string databases, string[] choice, string expected)
    {
        await using var db = await server.CreateDatabaseAsync();
        using var config = ConfigFile.Ledger(databases: databases);

        var run = await RunAsync(db, Ledger, ["install", "--config", config.Path, .. choice]);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
        Assert.False(await db.ScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'stepwise')"));
    }

    [Fact]
    public async Task DeclaredDatabaseType_IsTheDefault()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var config = ConfigFile.Ledger(databases: "main: { type: postgresql }");

        var run = await RunAsync(db, Ledger, "install", "--version", "1.0.0", "--config", config.Path);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(await db.TableExistsAsync("accounts"));
    }

    [Fact]
    public async Task VersionCommand_PrintsTheRunnersVersionAndEachProjectsNewest_WithoutADatabase()
    {
        var run = await RunAsync(Ledger, null, "--output", "json", "version");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = System.Text.Json.JsonDocument.Parse(run.Output);
        Assert.StartsWith(typeof(Stepwise.Hosting.StepwiseHost).Assembly.GetName().Version!.ToString(3), json.RootElement.GetProperty("runner").GetString(), StringComparison.Ordinal);
        var project = Assert.Single(json.RootElement.GetProperty("projects").EnumerateArray());
        Assert.Equal(("ledger", "2.0.0"), (project.GetProperty("project").GetString(), project.GetProperty("version").GetString()));
    }

    [Fact]
    public async Task FromVersionThatDoesNotMatch_IsRefusedWithoutChanges()
    {
        await using var db = await server.CreateDatabaseAsync();
        await RunAsync(db, Ledger, "install", "--version", "1.1.0");

        var run = await RunAsync(db, Ledger, "upgrade", "--version", "2.0.0", "--from-version", "v1.0.0");

        Assert.Equal(10, run.ExitCode);
        Assert.Contains("--from-version says ledger is at 1.0.0, but the database is at 1.1.0", run.Error, StringComparison.Ordinal);
        Assert.False(await db.TableExistsAsync("transfers"));
    }

    [Fact]
    public async Task UserNamedLikeTheRunnersSchema_StillGetsItsTablesOutsideIt()
    {
        await using var db = await server.CreateDatabaseAsync();
        const string role = "stepwise";
        await db.ExecuteAsync(
            $"""
            DO $$ BEGIN CREATE ROLE {role} LOGIN PASSWORD '{Password}'; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
            GRANT ALL ON DATABASE "{db.Name}" TO {role};
            GRANT ALL ON SCHEMA public TO {role};
            """);
        var settings = db.Settings;
        settings.Username = role;
        settings.Password = Password;

        try
        {
            var run = await RunAsync(Ledger, null, "install", "--version", "1.0.0", "--connection", settings.ConnectionString);

            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Equal("public", await db.ScalarAsync<string>("SELECT table_schema FROM information_schema.tables WHERE table_name = 'accounts'"));
        }
        finally
        {
            await db.ExecuteAsync($"DROP OWNED BY {role} CASCADE; DROP ROLE {role};");
        }
    }

    [Fact]
    public async Task UserWithoutThePrivilegesTheRunNeeds_GetsItsOwnExitCodeAndTheGrantToAskFor()
    {
        await using var db = await server.CreateDatabaseAsync();
        var role = $"no_create_{Guid.NewGuid():N}"[..24];
        await db.ExecuteAsync(
            $"""
            CREATE ROLE {role} LOGIN PASSWORD '{Password}';
            REVOKE ALL ON DATABASE "{db.Name}" FROM PUBLIC;
            GRANT CONNECT ON DATABASE "{db.Name}" TO {role};
            """);
        var settings = db.Settings;
        settings.Username = role;
        settings.Password = Password;

        try
        {
            var run = await RunAsync(Ledger, null, "install", "--version", "1.0.0", "--connection", settings.ConnectionString);

            Assert.Equal(11, run.ExitCode);
            Assert.Contains($"The database user '{role}' lacks a privilege", run.Error, StringComparison.Ordinal);
            Assert.Contains("permission denied for database", run.Error, StringComparison.Ordinal);
            Assert.Single(run.Error.Trim().Split('\n'));
            Assert.DoesNotContain(Password, run.All, StringComparison.Ordinal);
        }
        finally
        {
            await db.ExecuteAsync($"DROP OWNED BY {role} CASCADE; DROP ROLE {role};");
        }
    }

    [Fact]
    public async Task PasswordFromAMountedFile_ConnectsAndNeverShowsIt()
    {
        await using var db = await server.CreateDatabaseAsync();
        var settings = db.Settings;
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, settings.Password + "\n", TestContext.Current.CancellationToken);
        try
        {
            var environment = new Dictionary<string, string>
            {
                ["DB_HOST"] = settings.Host!,
                ["DB_PORT"] = settings.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["DB_NAME"] = settings.Database!,
                ["DB_USER"] = settings.Username!,
                ["DB_PASSWORD_FILE"] = file,
            };

            var run = await RunAsync(Ledger, environment, "install", "--version", "1.0.0", "--log-level", "trace");

            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.DoesNotContain(settings.Password!, run.All, StringComparison.Ordinal);
            Assert.True(await db.TableExistsAsync("accounts"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task ConnectionStringFromAMountedFile_IsUsed()
    {
        await using var db = await server.CreateDatabaseAsync();
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, db.ConnectionString, TestContext.Current.CancellationToken);
        try
        {
            var run = await RunAsync(Ledger, new Dictionary<string, string> { ["STEPWISE_CONNECTION_FILE"] = file }, "status", "--output", "json");

            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.DoesNotContain(db.Settings.Password!, run.All, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData(true, "Both DB_PASSWORD and DB_PASSWORD_FILE are set; set one of them.")]
    [InlineData(false, "DB_PASSWORD_FILE names '/nowhere/password', which cannot be read (DirectoryNotFoundException)")]
    public async Task PasswordFileThatCannotServe_IsAUsageErrorNamingTheVariable(bool both, string expected)
    {
        var environment = new Dictionary<string, string>
        {
            ["DB_HOST"] = "127.0.0.1", ["DB_NAME"] = "x", ["DB_USER"] = "u", ["DB_PASSWORD_FILE"] = "/nowhere/password",
        };
        if (both)
        {
            environment["DB_PASSWORD"] = Password;
        }

        var run = await RunAsync(Ledger, environment, "status");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, run.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailedRun_LeavesItsOneLineSummaryInTheTerminationLog_WithoutThePassword()
    {
        var log = Path.GetTempFileName();
        try
        {
            var environment = new Dictionary<string, string> { ["STEPWISE_TERMINATION_LOG"] = log };

            var failed = await RunAsync(Ledger, environment, "status", "--connection", $"Host=127.0.0.1;Port=1;Database=x;Password={Password};Timeout=3");

            Assert.Equal(8, failed.ExitCode);
            var summary = await File.ReadAllTextAsync(log, TestContext.Current.CancellationToken);
            Assert.StartsWith("stepwise exit 8: Cannot reach PostgreSQL at 127.0.0.1:1", summary, StringComparison.Ordinal);
            Assert.DoesNotContain(Password, summary, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', summary);
        }
        finally
        {
            File.Delete(log);
        }
    }

    [Fact]
    public async Task SuccessfulRun_LeavesTheTerminationLogAlone()
    {
        await using var db = await server.CreateDatabaseAsync();
        var log = Path.GetTempFileName();
        try
        {
            var run = await RunAsync(Ledger, new Dictionary<string, string> { ["STEPWISE_TERMINATION_LOG"] = log }, "status", "--connection", db.ConnectionString);

            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Equal("", await File.ReadAllTextAsync(log, TestContext.Current.CancellationToken));
        }
        finally
        {
            File.Delete(log);
        }
    }
}
