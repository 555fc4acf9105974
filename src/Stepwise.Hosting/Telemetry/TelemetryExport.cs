using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Stepwise.Execution;
using Stepwise.Observing;

namespace Stepwise.Hosting.Telemetry;

/// <summary>
/// Sends the run's metrics and spans over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set: a migration Job lives
/// for seconds, so nothing could scrape it; it pushes, and flushes before it exits (disposing this). Without the
/// variable nothing subscribes to the instruments and they cost nothing. A collector that is down or slow never fails
/// the run: each export gives up after <see cref="ExportTimeout"/>, and the flush at exit after the same time.
/// </summary>
internal sealed class TelemetryExport : IDisposable
{
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// <c>1</c>: also export the database client's own spans (Npgsql: one per command). They hold each statement's text
    /// and the server's error messages, which may quote data, so they are sent only when asked for.
    /// </summary>
    public const string DatabaseSpansVariable = "STEPWISE_TRACE_DATABASE";

    private static readonly TimeSpan ExportTimeout = TimeSpan.FromSeconds(5);

    private readonly MeterProvider _meters;
    private readonly TracerProvider _traces;

    private TelemetryExport(MeterProvider meters, TracerProvider traces)
    {
        _meters = meters;
        _traces = traces;
    }

    /// <summary>Starts exporting, or returns <c>null</c> when no endpoint is configured (or it is not an http(s) address).</summary>
    /// <param name="environment">The process's environment.</param>
    /// <param name="engine">The engine, whose database client spans (when it has any, and <see cref="DatabaseSpansVariable"/> asks for them) become children of the steps'.</param>
    public static TelemetryExport? Start(Func<string, string?> environment, IDatabaseEngine engine)
    {
        if (!Uri.TryCreate(environment(EndpointVariable)?.Trim(), UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https"))
        {
            return null;
        }

        return Create(environment, engine, endpoint);
    }

    // Apart from the check above, so that a run without an endpoint never loads the OpenTelemetry SDK.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static TelemetryExport Create(Func<string, string?> environment, IDatabaseEngine engine, Uri endpoint)
    {
        var grpc = string.Equals(environment("OTEL_EXPORTER_OTLP_PROTOCOL"), "grpc", StringComparison.OrdinalIgnoreCase);
        var resource = ResourceBuilder.CreateDefault().AddService(environment("OTEL_SERVICE_NAME") ?? "stepwise-runner");
        var clientSources = environment(DatabaseSpansVariable)?.Trim() == "1" ? (engine as IClientTracing)?.ActivitySources ?? [] : [];
        var meters = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter(StepwiseTelemetry.Name)
            .AddOtlpExporter(exporter => Configure(exporter, endpoint, grpc, "v1/metrics"))
            .Build();
        var traces = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .AddSource(StepwiseTelemetry.Name)
            .AddSource([.. clientSources])
            .AddOtlpExporter(exporter => Configure(exporter, endpoint, grpc, "v1/traces"))
            .Build();
        return new TelemetryExport(meters, traces);
    }

    // Given in code, an HTTP endpoint is used as written: the signal's path is added here, as the environment variable
    // would have had it added.
    private static void Configure(OtlpExporterOptions exporter, Uri endpoint, bool grpc, string signalPath)
    {
        exporter.Protocol = grpc ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
        exporter.Endpoint = grpc ? endpoint : new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/" + signalPath);
        exporter.TimeoutMilliseconds = (int)ExportTimeout.TotalMilliseconds;
    }

    /// <summary>Flushes what is left and stops, within a bounded time.</summary>
    public void Dispose()
    {
        _traces.Shutdown((int)ExportTimeout.TotalMilliseconds);
        _meters.Shutdown((int)ExportTimeout.TotalMilliseconds);
        _traces.Dispose();
        _meters.Dispose();
    }
}
