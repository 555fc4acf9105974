using System.Diagnostics;
using System.Text.Json.Nodes;
using Stepwise.PostgreSql.Tests.Migrations;
using Stepwise.Testing;
using static Stepwise.PostgreSql.Tests.Cli.StepwiseCli;

namespace Stepwise.PostgreSql.Tests.Lifecycle;

/// <summary>
/// The audit trail beside the database's: JSON lines on the runner's output for log shippers, and a webhook that gets
/// every entry, or, when it fails or hangs, costs the migration a bounded wait and a warning, never its outcome.
/// </summary>
public sealed class AuditSinkTests(PostgresServer server)
{
    [Fact]
    public async Task JsonLines_GiveOneWholeEntryPerEvent_WithWhoAndWhatRan()
    {
        await using var db = await server.CreateDatabaseAsync();

        var run = await RunAsync(Ledger, Environment(db, ("STEPWISE_AUDIT_JSONL", "stderr")), "install", "--version", "1.1.0", "--environment", "staging");

        Assert.True(run.ExitCode == 0, run.ToString());
        var entries = AuditEntries(run.Error);
        Assert.Equal(["run.started", "step.finished", "step.finished", "step.finished", "run.finished"], entries.Select(static e => (string)e["event"]!));
        var runId = await db.ScalarAsync<Guid>("SELECT run_id FROM stepwise.audit_log WHERE operation = 'install'");
        Assert.All(entries, e => Assert.Equal(runId.ToString(), (string)e["runId"]!));
        Assert.All(entries, static e =>
        {
            Assert.Equal("ledger", (string)e["project"]!);
            Assert.Equal("install", (string)e["operation"]!);
            Assert.Equal("1.1.0", (string)e["toVersion"]!);
            Assert.Equal("staging", (string)e["environment"]!);
            Assert.Equal("postgresql", (string)e["engine"]!);
            Assert.Equal("deployer@ci", (string)e["who"]!["actor"]!);
            Assert.Equal("0f1e2d3c", (string)e["who"]!["gitCommit"]!);
            Assert.Equal("registry.example.test/shop/migrations:1.1.0", (string)e["who"]!["image"]!);
        });
        Assert.Equal(["CreateAccounts", "AddAccountEmail", "IndexAccountEmail"], entries.Where(static e => e["migration"] is not null).Select(static e => (string)e["migration"]!));
        Assert.All(entries.Skip(1).Take(3), static e =>
        {
            Assert.Equal("up", (string)e["direction"]!);
            Assert.Equal("succeeded", (string)e["outcome"]!);
            Assert.Matches("^[0-9a-f]{64}$", (string)e["checksum"]!);
            Assert.Matches("^(CREATE|ALTER) ", (string)e["commands"]!);
            Assert.Null(e["error"]);
        });
        Assert.Equal("succeeded", (string)entries[^1]["outcome"]!);
        Assert.True((double)entries[^1]["durationSeconds"]! > 0);
        Assert.Equal([3, 3], new[] { entries[0], entries[^1] }.Select(static e => (int)e["steps"]!));
    }

    [Fact]
    public async Task JsonLines_UnderDryRunFirst_SayWhatTheRehearsalFound_BeforeTheRunStarts()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var config = Cli.ConfigFile.Ledger(policies: "dry_run_first: true");

        var run = await RunAsync(Ledger, Environment(db, ("STEPWISE_AUDIT_JSONL", "stderr")), "install", "--version", "2.0.0", "--config", config.Path);

        Assert.True(run.ExitCode == 0, run.ToString());
        var entries = AuditEntries(run.Error);
        Assert.Equal(["rehearsal.finished", "run.started"], entries.Take(2).Select(static e => (string)e["event"]!));
        var rehearsal = entries[0];
        Assert.Equal(("rehearsal", "succeeded", 2), ((string)rehearsal["operation"]!, (string)rehearsal["outcome"]!, (int)rehearsal["steps"]!));
        Assert.Null(rehearsal["error"]);
        Assert.Equal((string)entries[1]["runId"]!, (string)rehearsal["runId"]!);
    }

    [Fact]
    public async Task JsonLines_OfADryRun_AreOneEntryThatSaysWhatItWouldRun_AndTheDatabaseKeepsNothing()
    {
        await using var db = await server.CreateDatabaseAsync();

        var run = await RunAsync(Ledger, Environment(db, ("STEPWISE_AUDIT_JSONL", "stderr")), "install", "--version", "1.1.0", "--dry-run", "--environment", "production");

        Assert.True(run.ExitCode == 0, run.ToString());
        var entry = Assert.Single(AuditEntries(run.Error));
        Assert.Equal(("run.dry-run", "install", "1.1.0", "production", 3), ((string)entry["event"]!, (string)entry["operation"]!, (string)entry["toVersion"]!,
            (string)entry["environment"]!, (int)entry["steps"]!));
        Assert.Equal("deployer@ci", (string)entry["who"]!["actor"]!);
        Assert.Null(entry["outcome"]);
        Assert.False(await db.ScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'stepwise')"));
    }

    [Fact]
    public async Task JsonLines_OfAFailedStep_SayWhichKindOfFailureAndWhy()
    {
        await using var db = await server.CreateDatabaseAsync();
        await RunAsync(db, Ledger, "install", "--version", "1.1.0");

        var run = await RunAsync(LedgerWith(typeof(CreateTransfersFailingValidation)), Environment(db, ("STEPWISE_AUDIT_JSONL", "stderr")), "upgrade", "--version", "2.0.0");

        Assert.NotEqual(0, run.ExitCode);
        var entries = AuditEntries(run.Error);
        var failed = Assert.Single(entries, static e => (string?)e["outcome"] == "failed" && e["migration"] is not null);
        Assert.Equal("CreateTransfersFailingValidation", (string)failed["migration"]!);
        Assert.Equal("ValidationFailed", (string)failed["errorType"]!);
        Assert.Contains("Validate", (string)failed["error"]!, StringComparison.Ordinal);
        Assert.Equal(("failed", "ValidationFailed"), ((string)entries[^1]["outcome"]!, (string)entries[^1]["errorType"]!));
    }

    [Fact]
    public async Task JsonLines_OfAStepWithLongEscapedTextAndError_StayWholeJson()
    {
        await using var db = await server.CreateDatabaseAsync();
        await RunAsync(db, Ledger, "install", "--version", "1.1.0");

        var run = await RunAsync(LedgerWith(typeof(CreateTransfersFailingWithLongText)), Environment(db, ("STEPWISE_AUDIT_JSONL", "stderr")), "upgrade", "--version", "2.0.0");

        Assert.Equal(9, run.ExitCode);
        // Every line that starts as an entry parses: none was cut by standard error's line limit.
        var failed = Assert.Single(AuditEntries(run.Error), static e => (string?)e["outcome"] == "failed" && e["migration"] is not null);
        Assert.EndsWith("…", (string)failed["commands"]!, StringComparison.Ordinal);
        Assert.StartsWith("SELECT '\"\\", (string)failed["commands"]!, StringComparison.Ordinal);
        Assert.Contains("failed: PostgresException: P0001", (string)failed["error"]!, StringComparison.Ordinal);
        Assert.DoesNotContain(run.Error.Split('\n'), static l => l.Length > 8192);
    }

    [Fact]
    public async Task Webhook_GetsEveryEntry_AndNeverTheDatabasePassword()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var hook = new LocalHttpReceiver();

        var run = await RunAsync(Ledger, Environment(db, ("STEPWISE_AUDIT_WEBHOOK_URL", hook.Address + "hooks/audit?token=t0k3n-8e1f")), "install", "--version", "1.1.0");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["run.started", "step.finished", "step.finished", "step.finished", "run.finished"], hook.Bodies().Select(static b => (string)JsonNode.Parse(b)!["event"]!));
        Assert.All(hook.Bodies(), b => Assert.DoesNotContain(db.Settings.Password!, b, StringComparison.Ordinal));
        Assert.DoesNotContain("t0k3n-8e1f", run.Output + run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(LocalHttpReceiver.Answer.Fails)]
    [InlineData(LocalHttpReceiver.Answer.Hangs)]
    public async Task Webhook_ThatFailsOrHangs_CostsABoundedWaitAndAWarning_NeverTheMigration(LocalHttpReceiver.Answer answer)
    {
        await using var db = await server.CreateDatabaseAsync();
        using var hook = new LocalHttpReceiver(answer);
        var clock = Stopwatch.StartNew();

        var run = await RunAsync(Ledger, Environment(db, ("STEPWISE_AUDIT_WEBHOOK_URL", hook.Address)), "install", "--version", "1.1.0");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("1.1.0", await db.ScalarAsync<string>("SELECT current_version FROM stepwise.project_metadata"));
        Assert.Contains("audit entries were not delivered", run.Error, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"the run took {clock.Elapsed}");
    }


    private static Dictionary<string, string> Environment(TestDatabase db, params (string Name, string Value)[] more)
    {
        var environment = new Dictionary<string, string>
        {
            ["STEPWISE_CONNECTION"] = db.ConnectionString,
            ["STEPWISE_ACTOR"] = "deployer@ci",
            ["STEPWISE_GIT_COMMIT"] = "0f1e2d3c",
            ["STEPWISE_IMAGE"] = "registry.example.test/shop/migrations:1.1.0",
        };
        foreach (var (name, value) in more)
        {
            environment[name] = value;
        }

        return environment;
    }
}
