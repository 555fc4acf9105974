using Microsoft.Extensions.DependencyInjection;
using Stepwise.Observing;
using Stepwise.PostgreSql.Tests.Migrations;
using Stepwise.Testing;
using static Stepwise.PostgreSql.Tests.Cli.StepwiseCli;

namespace Stepwise.PostgreSql.Tests.Lifecycle;

/// <summary>
/// The connection's password, sent by a careless migration through its SQL and its failure message, at the most
/// verbose logging, in JSON logs, with an audit sink: it appears in none of the runner's output, and in none of what
/// the runner writes into the database (history, statements kept, audit log).
/// </summary>
public sealed class SecretCanaryTests(PostgresServer server)
{
    [Fact]
    public async Task TheConnectionsPassword_IsInNoOutput_AndInNoRowTheRunnerWrites()
    {
        await using var db = await server.CreateDatabaseAsync();
        var password = db.Settings.Password!;
        await RunAsync(db, Ledger, "install", "--version", "1.1.0");
        var environment = new Dictionary<string, string> { ["STEPWISE_CONNECTION"] = db.ConnectionString, ["STEPWISE_AUDIT_JSONL"] = "stdout" };

        var hostSink = new KeepingSink();
        var run = await RunAsync([.. Ledger, typeof(SeedAccountNamedInline)], environment,
            services => services.AddSingleton(new LedgerSeed(password)).AddSingleton<IAuditSink>(hostSink),
            "upgrade", "--version", "2.0.0", "--log-level", "trace", "--log-format", "json");

        Assert.Equal(4, run.ExitCode);
        Assert.Contains("it was not, looking for ***", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(password, run.Output + run.Error, StringComparison.Ordinal);

        // A host's (or team's) own sink sends entries where the output guard never looks: they reach it cleaned.
        var failed = Assert.Single(hostSink.Entries, static e => e.Outcome == "failed" && e.Migration is not null);
        Assert.Contains("looking for ***", failed.Error, StringComparison.Ordinal);
        Assert.All(hostSink.Entries, e => Assert.DoesNotContain(password, $"{e.Error} {e.Commands}", StringComparison.Ordinal));
        var written = await db.ScalarAsync<string>(
            """
            SELECT string_agg(concat_ws(' ', h.error, h.commands), ' | ') || ' || ' || (SELECT string_agg(coalesce(message, ''), ' | ') FROM stepwise.audit_log)
            FROM stepwise.migration_history h
            """);
        Assert.Contains("INSERT INTO accounts (name) VALUES ('***')", written, StringComparison.Ordinal);
        Assert.Contains("looking for ***", written, StringComparison.Ordinal);
        Assert.DoesNotContain(password, written, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheConnectionsPassword_InAFailedStatement_IsNamedWithoutIt()
    {
        await using var db = await server.CreateDatabaseAsync();
        var password = db.Settings.Password!;
        await RunAsync(db, Ledger, "install", "--version", "1.1.0");

        var run = await RunAsync([.. Ledger, typeof(SeedAccountNamedInlineIntoNoTable)], new Dictionary<string, string> { ["STEPWISE_CONNECTION"] = db.ConnectionString },
            services => services.AddSingleton(new LedgerSeed(password)), "upgrade", "--version", "2.0.0", "--log-level", "trace");

        Assert.Equal(9, run.ExitCode);
        Assert.Contains("Failed statement (2 of 2, line 2): INSERT INTO no_such_accounts (name) VALUES ('***')", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(password, run.Output + run.Error, StringComparison.Ordinal);
        var written = await db.ScalarAsync<string>(
            "SELECT string_agg(concat_ws(' ', error, commands), ' | ') || ' || ' || (SELECT string_agg(coalesce(message, ''), ' | ') FROM stepwise.audit_log) FROM stepwise.migration_history");
        Assert.Contains("Failed statement (2 of 2, line 2)", written, StringComparison.Ordinal);
        Assert.DoesNotContain(password, written, StringComparison.Ordinal);
    }

    private sealed class KeepingSink : IAuditSink
    {
        private readonly List<AuditEntry> _entries = [];

        public IReadOnlyList<AuditEntry> Entries
        {
            get
            {
                lock (_entries)
                {
                    return [.. _entries];
                }
            }
        }

        public void Write(AuditEntry entry)
        {
            lock (_entries)
            {
                _entries.Add(entry);
            }
        }
    }
}
