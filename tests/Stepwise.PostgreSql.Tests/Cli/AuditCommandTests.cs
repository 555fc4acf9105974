using System.Text.Json;
using Stepwise.PostgreSql.Tests.Migrations;
using Stepwise.Testing;
using static Stepwise.PostgreSql.Tests.Cli.StepwiseCli;

namespace Stepwise.PostgreSql.Tests.Cli;

/// <summary>
/// The <c>audit</c> command over a real database: every run the runner recorded (runs, rehearsals, repairs), who ran
/// it, its filters, and usage errors that name the bad filter.
/// </summary>
public sealed class AuditCommandTests(PostgresServer server)
{
    [Fact]
    public async Task Audit_InJson_GivesEachRunWithWhoRanIt_AndHistoryNamesTheRun()
    {
        await using var db = await server.CreateDatabaseAsync();
        var deployer = Environment(db, ("STEPWISE_ACTOR", "deployer@ci"), ("STEPWISE_GIT_COMMIT", "0f1e2d3c"), ("STEPWISE_SERVICE_ACCOUNT", "ledger-migrations"),
            ("STEPWISE_IMAGE", "registry.example.test/ledger/migrations:1.1.0"));
        Assert.Equal(0, (await RunAsync(Ledger, deployer, "install", "--version", "1.1.0", "--environment", "staging")).ExitCode);

        var run = await RunAsync(Ledger, deployer, "audit", "--output", "json");

        Assert.True(run.ExitCode == 0, run.ToString());
        var entry = Assert.Single(JsonDocument.Parse(run.Output).RootElement.EnumerateArray());
        Assert.Equal(("ledger", "install", "succeeded", "staging", 3), (Text(entry, "project"), Text(entry, "operation"), Text(entry, "outcome"),
            Text(entry, "environment"), entry.GetProperty("steps").GetInt32()));
        Assert.Equal(("deployer@ci", "0f1e2d3c", "ledger-migrations", "registry.example.test/ledger/migrations:1.1.0"),
            (Text(entry, "actor"), Text(entry, "gitCommit"), Text(entry, "serviceAccount"), Text(entry, "image")));
        Assert.Equal(System.Environment.UserName, Text(entry, "osUser"));
        Assert.Equal(JsonValueKind.Null, entry.GetProperty("fromVersion").ValueKind);
        Assert.Equal("1.1.0", Text(entry, "targetVersion"));
        var runId = await db.ScalarAsync<Guid>("SELECT run_id FROM stepwise.audit_log");
        Assert.Equal(runId.ToString(), Text(entry, "runId"));

        var history = await RunAsync(db, Ledger, "history");
        Assert.Equal(3, history.Output.Split('\n').Count(l => l.Contains($" {runId.ToString()[..8]} ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Audit_InText_ListsRehearsalsRunsAndRepairs_NewestFirst()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var config = ConfigFile.Ledger(policies: "dry_run_first: true");
        await RunAsync(db, Ledger, "install", "--version", "1.1.0", "--config", config.Path);
        await db.ExecuteAsync("UPDATE stepwise.applied_migration SET checksum = 'edited-after-apply' WHERE migration_key = '1.0.0/upgrade/schema-changes/1'");
        Assert.Equal(0, (await RunAsync(db, Ledger, "repair")).ExitCode);

        var run = await RunAsync(db, Ledger, "audit");

        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^\s*id\s+run\s+started \(UTC\)\s+project\s+operation\s+from\s+to\s+environment\s+outcome\s+s\s+steps\s+who\s+message", lines[0]);
        Assert.Equal(["repair", "install", "rehearsal"], lines.Skip(1).Select(static l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[5]));
        Assert.Contains("AlignChecksum CreateAccounts (1.0.0)", lines[1], StringComparison.Ordinal);
        Assert.Contains("rehearsed 2 step(s)", lines[3], StringComparison.Ordinal);
        Assert.All(lines.Skip(1), static l => Assert.Contains($" {System.Environment.UserName}@{System.Environment.MachineName} ", l, StringComparison.Ordinal));
        // A rehearsal belongs to the run it preceded: both carry its id.
        Assert.Equal(lines[2].Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], lines[3].Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
    }

    [Fact]
    public async Task Audit_Filters_ByOutcomeRunIdAndTime()
    {
        await using var db = await server.CreateDatabaseAsync();
        await RunAsync(db, Ledger, "install", "--version", "1.1.0");
        await RunAsync(db, LedgerWith(typeof(CreateTransfersFailingValidation)), "upgrade", "--version", "2.0.0");
        var install = await db.ScalarAsync<Guid>("SELECT run_id FROM stepwise.audit_log WHERE operation = 'install'");

        Assert.Equal(["upgrade"], Operations(await RunAsync(db, Ledger, "audit", "--outcome", "failed", "--output", "json")));
        Assert.Equal(["install"], Operations(await RunAsync(db, Ledger, "audit", "--run-id", install.ToString()[..8].ToUpperInvariant(), "--output", "json")));
        Assert.Equal(["upgrade", "install"], Operations(await RunAsync(db, Ledger, "audit", "--since", "1h", "--output", "json")));
        Assert.Empty(Operations(await RunAsync(db, Ledger, "audit", "--since", "2999-01-01", "--output", "json")));
        Assert.Equal(["upgrade", "install"], Operations(await RunAsync(db, Ledger, "audit", "--since", "2000-01-01T08:00+02:00", "--output", "json")));
        Assert.Empty(Operations(await RunAsync(db, Ledger, "audit", "--since", "2999-01-01T08:00-05:00", "--output", "json")));
        Assert.Contains("No runs in the audit log match.", (await RunAsync(db, Ledger, "audit", "--outcome", "interrupted")).Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_KeepsTheStatementsAStepSent_WithoutParameterValues()
    {
        await using var db = await server.CreateDatabaseAsync();
        await RunAsync(db, [.. Ledger, typeof(SeedHouseAccount)], "install", "--version", "2.0.0");

        var run = await RunAsync(db, Ledger, "history", "--output", "json");

        Assert.True(run.ExitCode == 0, run.ToString());
        var steps = JsonDocument.Parse(run.Output).RootElement.EnumerateArray().ToDictionary(static e => Text(e, "name"), static e => e.GetProperty("commands"));
        Assert.Equal("INSERT INTO accounts (name) VALUES (@name)", steps["SeedHouseAccount"].GetString());
        Assert.StartsWith("CREATE TABLE IF NOT EXISTS transfers (", steps["CreateTransfers"].GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("house", run.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--since", "yesterday", "--since: 'yesterday' is neither a time (2026-11-30, 2026-11-30T08:00Z) nor a time ago (90m, 24h, 7d, 2w).")]
    [InlineData("--run-id", "abc", "--run-id: 'abc' is not a run id: give the whole id or at least its first 8 digits, as 'audit' and 'history' show them.")]
    [InlineData("--outcome", "won", "Argument 'won' not recognized. Must be one of:")]
    public async Task Audit_WithABadFilter_SaysWhichAndTouchesNoDatabase(string option, string value, string expected)
    {
        var run = await RunAsync(Ledger, null, "audit", option, value, "--connection", "Host=192.0.2.1;Database=none;Timeout=1");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }

    private static List<string> Operations(CliRun run)
    {
        Assert.True(run.ExitCode == 0, run.ToString());
        return [.. JsonDocument.Parse(run.Output).RootElement.EnumerateArray().Select(static e => Text(e, "operation"))];
    }

    private static string Text(JsonElement entry, string name) => entry.GetProperty(name).GetString()!;

    private static Dictionary<string, string> Environment(TestDatabase db, params (string Name, string Value)[] more)
    {
        var environment = new Dictionary<string, string> { ["STEPWISE_CONNECTION"] = db.ConnectionString };
        foreach (var (name, value) in more)
        {
            environment[name] = value;
        }

        return environment;
    }
}
