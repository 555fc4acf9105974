using Stepwise.Testing;
using static Stepwise.PostgreSql.Tests.Cli.StepwiseCli;

namespace Stepwise.PostgreSql.Tests.Lifecycle;

/// <summary>
/// The runner pushes its metrics and spans over OTLP (HTTP, protobuf) to the address in OTEL_EXPORTER_OTLP_ENDPOINT,
/// before it exits; a local listener stands in for the collector. Protobuf keeps strings as they are, so names and
/// attribute values can be found in the bodies.
/// </summary>
public sealed class TelemetryExportTests(PostgresServer server)
{
    [Fact]
    public async Task WithAnEndpoint_TheRunPushesRunAndStepSpans_NpgsqlSpansWhenAsked_AndMetrics_BeforeItExits()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var collector = new LocalHttpReceiver(encoding: System.Text.Encoding.Latin1);
        var environment = Environment(db, collector.Address);
        environment["STEPWISE_TRACE_DATABASE"] = "1";

        var run = await RunAsync(Ledger, environment, "install", "--version", "1.1.0");

        Assert.True(run.ExitCode == 0, run.ToString());
        var traces = string.Concat(collector.Bodies("/v1/traces"));
        Assert.Contains("install ledger", traces, StringComparison.Ordinal);
        Assert.Contains("up CreateAccounts", traces, StringComparison.Ordinal);
        Assert.Contains("Npgsql", traces, StringComparison.Ordinal);
        var metrics = string.Concat(collector.Bodies("/v1/metrics"));
        Assert.Contains("stepwise.step.duration", metrics, StringComparison.Ordinal);
        Assert.Contains("stepwise.runs", metrics, StringComparison.Ordinal);
        Assert.Contains("postgresql", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain(db.Settings.Password!, traces + metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutBeingAsked_NoStatementTextLeavesTheRunner()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var collector = new LocalHttpReceiver(encoding: System.Text.Encoding.Latin1);

        var run = await RunAsync(Ledger, Environment(db, collector.Address), "install", "--version", "1.1.0");

        Assert.True(run.ExitCode == 0, run.ToString());
        var traces = string.Concat(collector.Bodies("/v1/traces"));
        Assert.Contains("up CreateAccounts", traces, StringComparison.Ordinal);
        Assert.DoesNotContain("Npgsql", traces, StringComparison.Ordinal);
        Assert.DoesNotContain("CREATE TABLE", traces, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithACollectorThatIsDown_TheRunSucceedsAnyway()
    {
        await using var db = await server.CreateDatabaseAsync();
        var nobody = $"http://127.0.0.1:{LocalPorts.Free()}";

        var run = await RunAsync(Ledger, Environment(db, nobody), "install", "--version", "1.1.0");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("1.1.0", await db.ScalarAsync<string>("SELECT current_version FROM stepwise.project_metadata"));
    }

    private static Dictionary<string, string> Environment(TestDatabase db, string endpoint) => new()
    {
        ["STEPWISE_CONNECTION"] = db.ConnectionString,
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint,
    };
}
