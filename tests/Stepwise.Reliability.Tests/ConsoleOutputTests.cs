using Stepwise.Testing;

namespace Stepwise.Reliability.Tests;

/// <summary>
/// Proves, on a real process's standard output and error (where the console logger writes, in text and in JSON as in a
/// pod): no canary password in any byte at any log level, set by --log-level or by Logging__LogLevel__Default.
/// </summary>
public sealed class ConsoleOutputTests(PostgresServer server)
{
    private const string Canary = "Canary-Console-93b1";

    [Theory]
    [InlineData("text", "--log-level", "trace")]
    [InlineData("json", "--log-level", "trace")]
    [InlineData("json", "--log-level", "none")]
    public async Task RunThatFailsToConnect_WritesNoPasswordAtAnyLevel(string format, string option, string level)
    {
        var run = await BuiltExecutable.Start(Drill.Dll,
            ["install", "--log-format", format, option, level, "--connection", $"Host=127.0.0.1;Port=1;Database=x;Username=u;Password={Canary};Timeout=3"]).FinishAsync();

        Assert.Equal(8, run.ExitCode);
        Assert.DoesNotContain(Canary, run.All, StringComparison.Ordinal);
        Assert.Single(run.Error.Split('\n'), static line => line.StartsWith("error: ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LoggingVariableAtDebug_AddsTheCauseOfAFailure_OnOneLineWithoutThePassword()
    {
        var run = await BuiltExecutable.Start(Drill.Dll, ["status", "--connection", $"Host=127.0.0.1;Port=1;Database=x;Username=u;Password={Canary};Timeout=3"],
            new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Debug" }).FinishAsync();

        Assert.Equal(8, run.ExitCode);
        Assert.Contains("debug: caused by Npgsql.NpgsqlException: Failed to connect to 127.0.0.1:1", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Canary, run.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoggingVariableAtTrace_LogsMoreOfARealRun_WithoutThePassword()
    {
        await using var db = await server.CreateDatabaseAsync();
        var role = $"console_{Guid.NewGuid():N}"[..20];
        await db.ExecuteAsync($"CREATE ROLE {role} LOGIN PASSWORD '{Canary}'; ALTER DATABASE \"{db.Name}\" OWNER TO {role}; GRANT ALL ON SCHEMA public TO {role};");
        var connection = new Npgsql.NpgsqlConnectionStringBuilder(db.ConnectionString) { Username = role, Password = Canary }.ConnectionString;
        try
        {
            var quiet = await BuiltExecutable.Start(Drill.Dll, ["install", "--version", "1.0.0", "--connection", connection]).FinishAsync();
            var loud = await BuiltExecutable.Start(Drill.Dll, ["upgrade", "--version", "1.1.0", "--connection", connection],
                new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Trace", ["Logging__LogLevel__Microsoft"] = "Trace" }).FinishAsync();
            var mistyped = await BuiltExecutable.Start(Drill.Dll, ["status", "--conection", connection],
                new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Trace" }).FinishAsync();

            Assert.True(quiet.ExitCode == 0, quiet.ToString());
            Assert.True(loud.ExitCode == 0, loud.ToString());
            Assert.Contains(" debug: Connected to PostgreSQL at", loud.Error, StringComparison.Ordinal);
            Assert.Contains(" debug: Holding the lock of drill; it records version 1.0.0", loud.Error, StringComparison.Ordinal);
            Assert.DoesNotContain(" debug: ", quiet.Error, StringComparison.Ordinal);
            Assert.Equal(2, mistyped.ExitCode);
            Assert.All(new[] { quiet, loud, mistyped }, static r => Assert.DoesNotContain(Canary, r.All, StringComparison.Ordinal));
        }
        finally
        {
            await db.DisposeAsync();
            await using var admin = new Npgsql.NpgsqlConnection(server.AdminConnectionString);
            await admin.OpenAsync(TestContext.Current.CancellationToken);
            await using var drop = new Npgsql.NpgsqlCommand($"DROP ROLE IF EXISTS {role}", admin);
            await drop.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }
    }
}
