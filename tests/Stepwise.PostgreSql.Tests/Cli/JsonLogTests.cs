using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Stepwise.Observing;
using Stepwise.PostgreSql.Tests.Migrations;
using Stepwise.Testing;
using static Stepwise.PostgreSql.Tests.Cli.StepwiseCli;

namespace Stepwise.PostgreSql.Tests.Cli;

/// <summary>
/// Logs as a Job's log collector reads them (<c>--log-format json</c>, the default in Kubernetes): one object per line,
/// with the run's and the step's fields at the top level, and a long step's heartbeat.
/// </summary>
public sealed class JsonLogTests(PostgresServer server)
{
    // JsonLogFormatter.MaxFieldLength: the longest text a field carries.
    private const int MaxField = 2000;

    [Fact]
    public async Task EveryLine_IsOneObject_WithTheRunAndStepFieldsAtTopLevel()
    {
        await using var db = await server.CreateDatabaseAsync();

        var run = await RunAsync(Ledger, Environment(db), "install", "--version", "1.1.0", "--environment", "staging", "--log-format", "json");

        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = Lines(run.Error);
        var runId = (await db.ScalarAsync<Guid>("SELECT run_id FROM stepwise.audit_log")).ToString();
        var applying = Assert.Single(lines, static l => Text(l, "message").StartsWith("Applying 1.1.0 AddAccountEmail", StringComparison.Ordinal));
        Assert.Equal(("information", "Stepwise.Execution.MigrationOrchestrator"), (Text(applying, "level"), Text(applying, "category")));
        Assert.Equal((runId, "ledger", "install", "staging"), (Text(applying, "runId"), Text(applying, "project"), Text(applying, "operation"), Text(applying, "environment")));
        Assert.Equal(("AddAccountEmail", "1.1.0/upgrade/schema-changes/1"), (Text(applying, "migration"), Text(applying, "migrationKey")));
        Assert.Equal((2, 3), (applying.GetProperty("position").GetInt32(), applying.GetProperty("steps").GetInt32()));
        Assert.EndsWith(", step 2 of 3", Text(applying, "message"), StringComparison.Ordinal);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", Text(applying, "time"));
        Assert.DoesNotContain("System.Collections", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(db.Settings.Password!, run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALongStep_HasAHeartbeat_AndItsOwnLinesNameThePhase()
    {
        await using var db = await server.CreateDatabaseAsync();
        await RunAsync(db, Ledger, "install", "--version", "1.1.0");

        var run = await RunAsync(LedgerWith(typeof(CreateTransfersTalkatively)), Environment(db),
            static services => services.AddSingleton<IRunObserver>(provider =>
                new StepHeartbeat(provider.GetRequiredService<ILogger<StepHeartbeat>>(), TimeProvider.System, TimeSpan.FromMilliseconds(400))),
            "upgrade", "--version", "2.0.0", "--log-format", "json");

        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = Lines(run.Error);
        var beats = lines.Where(static l => Text(l, "message").StartsWith("Still running CreateTransfersTalkatively, step 1 of 1: ", StringComparison.Ordinal)).ToList();
        Assert.True(beats.Count >= 2, run.Error);
        Assert.All(beats, static b => Assert.Equal(("CreateTransfersTalkatively", "ledger", "upgrade"), (Text(b, "migration"), Text(b, "project"), Text(b, "operation"))));
        var own = Assert.Single(lines, static l => Text(l, "message") == "Creating transfers, then waiting 1.5 s");
        Assert.Equal(("Up", "CreateTransfersTalkatively", 1.5), (Text(own, "phase"), Text(own, "migration"), own.GetProperty("seconds").GetDouble()));
        var done = Assert.Single(lines, static l => Text(l, "message").StartsWith("Done CreateTransfersTalkatively", StringComparison.Ordinal));
        Assert.False(done.TryGetProperty("phase", out _));
    }

    [Fact]
    public async Task AVeryLongLine_IsCutInsideItsFields_AndStaysOneObject()
    {
        await using var db = await server.CreateDatabaseAsync();
        await RunAsync(db, Ledger, "install", "--version", "1.1.0");

        var run = await RunAsync(LedgerWith(typeof(CreateTransfersLoggingALongLine)), Environment(db), "upgrade", "--version", "2.0.0", "--log-format", "json");

        Assert.True(run.ExitCode == 0, run.ToString());
        var dump = Assert.Single(Lines(run.Error), static l => Text(l, "message").StartsWith("Row dump: ", StringComparison.Ordinal));
        Assert.Equal(MaxField, Text(dump, "message").Length);
        Assert.Equal(MaxField, Text(dump, "rows").Length);
        Assert.EndsWith("…", Text(dump, "rows"), StringComparison.Ordinal);
        Assert.All(run.Error.Split('\n'), static l => Assert.True(l.Length < 8192, $"a line of {l.Length} characters"));
    }

    private static List<JsonElement> Lines(string error) =>
        [.. error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(static l => JsonDocument.Parse(l).RootElement)];

    private static string Text(JsonElement line, string name) => line.GetProperty(name).GetString()!;

    private static Dictionary<string, string> Environment(TestDatabase db) => new() { ["STEPWISE_CONNECTION"] = db.ConnectionString };
}
