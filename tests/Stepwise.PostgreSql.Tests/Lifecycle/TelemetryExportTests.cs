using System.Net;
using System.Net.Sockets;
using System.Text;
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
        using var collector = new Collector();
        var environment = Environment(db, collector.Endpoint);
        environment["STEPWISE_TRACE_DATABASE"] = "1";

        var run = await RunAsync(Ledger, environment, "install", "--version", "1.1.0");

        Assert.True(run.ExitCode == 0, run.ToString());
        var traces = collector.Body("/v1/traces");
        Assert.Contains("install ledger", traces, StringComparison.Ordinal);
        Assert.Contains("up CreateAccounts", traces, StringComparison.Ordinal);
        Assert.Contains("Npgsql", traces, StringComparison.Ordinal);
        var metrics = collector.Body("/v1/metrics");
        Assert.Contains("stepwise.step.duration", metrics, StringComparison.Ordinal);
        Assert.Contains("stepwise.runs", metrics, StringComparison.Ordinal);
        Assert.Contains("postgresql", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain(db.Settings.Password!, traces + metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutBeingAsked_NoStatementTextLeavesTheRunner()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var collector = new Collector();

        var run = await RunAsync(Ledger, Environment(db, collector.Endpoint), "install", "--version", "1.1.0");

        Assert.True(run.ExitCode == 0, run.ToString());
        var traces = collector.Body("/v1/traces");
        Assert.Contains("up CreateAccounts", traces, StringComparison.Ordinal);
        Assert.DoesNotContain("Npgsql", traces, StringComparison.Ordinal);
        Assert.DoesNotContain("CREATE TABLE", traces, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithACollectorThatIsDown_TheRunSucceedsAnyway()
    {
        await using var db = await server.CreateDatabaseAsync();
        var nobody = $"http://127.0.0.1:{FreePort()}";

        var run = await RunAsync(Ledger, Environment(db, nobody), "install", "--version", "1.1.0");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("1.1.0", await db.ScalarAsync<string>("SELECT current_version FROM stepwise.project_metadata"));
    }

    private static Dictionary<string, string> Environment(TestDatabase db, string endpoint) => new()
    {
        ["STEPWISE_CONNECTION"] = db.ConnectionString,
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint,
    };

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    // Takes every POST, keeps its body by path, answers 200 with an empty body (a valid empty OTLP response).
    private sealed class Collector : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Dictionary<string, StringBuilder> _bodies = [];
        private readonly Task _serving;

        public Collector()
        {
            Endpoint = $"http://127.0.0.1:{FreePort()}";
            _listener.Prefixes.Add(Endpoint + "/");
            _listener.Start();
            _serving = Task.Run(ServeAsync);
        }

        public string Endpoint { get; }

        public string Body(string path)
        {
            lock (_bodies)
            {
                return _bodies.TryGetValue(path, out var body) ? body.ToString() : "";
            }
        }

        public void Dispose()
        {
            _listener.Close();
            _serving.Wait(TimeSpan.FromSeconds(5));
        }

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                using var content = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(content);
                lock (_bodies)
                {
                    var path = context.Request.Url!.AbsolutePath;
                    (_bodies.TryGetValue(path, out var body) ? body : _bodies[path] = new StringBuilder()).Append(Encoding.Latin1.GetString(content.ToArray()));
                }

                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/x-protobuf";
                context.Response.Close();
            }
        }
    }
}
