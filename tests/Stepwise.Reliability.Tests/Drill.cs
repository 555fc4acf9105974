using Npgsql;
using Stepwise.Hosting;
using Stepwise.Testing;

namespace Stepwise.Reliability.Tests;

/// <summary>Runs the drill project: as a process (to kill or signal it), or in-process (for the input corpus).</summary>
internal static class Drill
{
    /// <summary>The drill's migrations, newest version.</summary>
    public const string Latest = "1.2.0";

    public static string Dll => BuiltExecutable.Dll("tests/Stepwise.Reliability.Drill", "Stepwise.Reliability.Drill");

    /// <summary>Starts the drill with every step pausing <paramref name="pauseSeconds"/> on the server.</summary>
    public static RunningExecutable Start(string connection, double pauseSeconds, params string[] args) =>
        BuiltExecutable.Start(Dll, [.. args, "--connection", connection],
            new Dictionary<string, string> { ["DRILL_PAUSE_SECONDS"] = pauseSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) });

    public static Task<CliRun> RunAsync(string connection, params string[] args) => Start(connection, 0, args).FinishAsync();

    /// <summary>The command line in this process, with the drill's migrations and a captured console.</summary>
    public static async Task<CliRun> RunInProcessAsync(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var options = new StepwiseHostOptions { Output = output, Error = error, EnvironmentVariables = name => environment?.GetValueOrDefault(name) };
        options.Assemblies.Add(typeof(Stepwise.Reliability.Drill.CreateItems).Assembly);
        var exit = await StepwiseHost.RunAsync([.. args], options, TestContext.Current.CancellationToken);
        return new CliRun(exit, output.ToString(), error.ToString());
    }

    /// <summary>Waits until <paramref name="condition"/> (a boolean SQL expression) holds, or fails after a minute.</summary>
    public static async Task WaitUntilAsync(TestDatabase db, string condition, string what, RunningExecutable? runner = null)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (!await HoldsAsync(db, condition))
        {
            if (runner is { HasExited: true })
            {
                Assert.Fail($"The runner ended before {what}:\n{await runner.FinishAsync()}");
            }

            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting until {what}.");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    // Before the runner has created its schema, a condition over its tables does not hold yet.
    private static async Task<bool> HoldsAsync(TestDatabase db, string condition)
    {
        try
        {
            return await db.ScalarAsync<bool>("SELECT " + condition);
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName)
        {
            return false;
        }
    }

    /// <summary>A condition: the drill's work connection is inside a step's pause, with <paramref name="applied"/> migrations applied.</summary>
    public static string PausedAfter(TestDatabase db, int applied) =>
        $"""
        EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = '{db.Name}' AND state = 'active' AND query LIKE 'SELECT pg_sleep%')
        AND (SELECT count(*) FROM stepwise.applied_migration WHERE status = 'applied') = {applied}
        """;

    /// <summary>Asserts the schema and records of a drill fully at 1.2.0: every migration applied once, every object in place.</summary>
    public static async Task AssertCompleteAsync(TestDatabase db)
    {
        Assert.Equal(Latest, await db.ScalarAsync<string>("SELECT current_version FROM stepwise.project_metadata WHERE project = 'drill'"));
        Assert.Equal(10L, await db.ScalarAsync<long>("SELECT count(*) FROM stepwise.applied_migration WHERE project = 'drill' AND status = 'applied'"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM stepwise.applied_migration WHERE project = 'drill' AND status <> 'applied'"));
        Assert.Equal(20000L, await db.ScalarAsync<long>("SELECT count(*) FROM items"));
        Assert.Equal(3L, await db.ScalarAsync<long>(
            "SELECT count(*) FROM pg_index WHERE indisvalid AND indexrelid::regclass::text IN ('items_payload_idx', 'items_created_idx', 'tags_item_idx')"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_index WHERE NOT indisvalid"));
        Assert.Equal(5L, await db.ScalarAsync<long>(
            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'items' AND column_name LIKE 'note%'"));
        Assert.True(await db.TableExistsAsync("tags"));
    }

    /// <summary>Holds an open connection with a name, for tests that need a session of their own.</summary>
    public static async Task<NpgsqlConnection> ConnectAsync(TestDatabase db, string applicationName)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(db.ConnectionString) { ApplicationName = applicationName }.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        return connection;
    }
}
