using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Stepwise.Catalog;
using Stepwise.Core.Tests.Execution.Memory;
using Stepwise.Execution;
using Stepwise.Observing;
using Stepwise.Planning;
using Stepwise.Versioning;

namespace Stepwise.Core.Tests.Observing;

[CollectionDefinition(nameof(TelemetryTests), DisableParallelization = true)]
public sealed class TelemetryCollection;

/// <summary>
/// The runner's metrics and spans, read through OpenTelemetry's in-memory exporter from runs on the memory engine. The
/// meter is process-wide, so these tests run alone.
/// </summary>
[Collection(nameof(TelemetryTests))]
public sealed class TelemetryTests : IDisposable
{
    private const string Password = "pw-7d1f0c9e-never-shown";
    private static readonly ProjectVersion V910 = ProjectVersion.Parse("9.1.0");

    private readonly MemoryDatabase _db = new();
    private readonly List<Metric> _metrics = [];
    private readonly List<Activity> _spans = [];
    private readonly MeterProvider _meters;
    private readonly TracerProvider _tracer;

    public TelemetryTests()
    {
        _meters = Sdk.CreateMeterProviderBuilder().AddMeter(StepwiseTelemetry.Name).AddInMemoryExporter(_metrics).Build()!;
        _tracer = Sdk.CreateTracerProviderBuilder().AddSource(StepwiseTelemetry.Name).AddInMemoryExporter(_spans).Build()!;
    }

    [Fact]
    public async Task Install_GivesOneRunSpanWithAChildPerStep_AndCountsRunAndSteps()
    {
        await RunAsync([typeof(AddApples), typeof(AddPears), typeof(AddPlums)], Operation.Install);
        Flush();

        var run = Assert.Single(_spans, static s => s.Parent is null);
        Assert.Equal("install core-tests", run.DisplayName);
        Assert.Equal("memory", run.GetTagItem("db.system.name"));
        Assert.Equal("9.1.0", run.GetTagItem("stepwise.version.to"));
        Assert.Equal("staging", run.GetTagItem("deployment.environment.name"));
        var steps = _spans.Where(s => s.ParentSpanId == run.SpanId).ToList();
        Assert.Equal(["up AddApples", "up AddPears", "up AddPlums"], steps.Select(static s => s.DisplayName));
        Assert.All(steps, static s => Assert.Equal(ActivityStatusCode.Unset, s.Status));

        Assert.Equal(1, Sum("stepwise.runs", ("stepwise.outcome", "succeeded"), ("stepwise.operation", "install")));
        Assert.Equal(3, Sum("stepwise.steps", ("stepwise.outcome", "succeeded"), ("stepwise.direction", "up")));
        Assert.Equal(3, HistogramCount("stepwise.step.duration"));
        Assert.Equal(1, HistogramCount("stepwise.run.duration"));
        Assert.Equal(1, HistogramCount("stepwise.lock.wait.duration"));
    }

    [Fact]
    public async Task FailedStep_MarksItsSpanAndTheRunAsErrors_WithTheFailuresKind()
    {
        await Assert.ThrowsAsync<StepwiseException>(() => RunAsync([typeof(AddApples), typeof(AddPearsFailingValidate)], Operation.Install));
        Flush();

        var failed = Assert.Single(_spans, static s => s.DisplayName == "up AddPearsFailingValidate");
        Assert.Equal(ActivityStatusCode.Error, failed.Status);
        Assert.Equal("ValidationFailed", failed.GetTagItem("error.type"));
        Assert.Equal(ActivityStatusCode.Error, Assert.Single(_spans, static s => s.Parent is null).Status);
        Assert.Equal(1, Sum("stepwise.runs", ("stepwise.outcome", "failed"), ("error.type", "ValidationFailed")));
        Assert.Equal(1, Sum("stepwise.steps", ("stepwise.outcome", "failed"), ("error.type", "ValidationFailed")));
        Assert.Equal(1, Sum("stepwise.steps", ("stepwise.outcome", "succeeded")));
    }

    [Fact]
    public async Task Rollback_CountsTheStepsUndone()
    {
        await RunAsync([typeof(AddApples), typeof(AddPears)], Operation.Install);
        await RunAsync([typeof(AddApples), typeof(AddPears)], Operation.Rollback, ProjectVersion.Parse("9.0.0"));
        Flush();

        Assert.Equal(1, Sum("stepwise.rollbacks"));
        Assert.Equal(1, Sum("stepwise.steps", ("stepwise.direction", "down"), ("stepwise.outcome", "succeeded")));
    }

    [Fact]
    public async Task NothingToDo_EmitsNothing()
    {
        var apples = ProjectVersion.Parse("9.0.0");
        await RunAsync([typeof(AddApples)], Operation.Install, apples);
        Flush();
        _metrics.Clear();
        _spans.Clear();

        await RunAsync([typeof(AddApples)], Operation.Install, apples);
        Flush();

        Assert.Empty(_spans);
        Assert.Equal(1, Sum("stepwise.runs")); // the first run's, exported again as a cumulative sum
    }

    [Fact]
    public async Task AnObserverThatThrows_NeverFailsTheRun()
    {
        await RunAsync([typeof(AddApples), typeof(AddPears)], Operation.Install, observers: new ThrowingObserver());

        Assert.Equal("9.1.0", _db.Version);
    }

    [Fact]
    public async Task NoSecretReachesAnAttribute()
    {
        await Assert.ThrowsAsync<StepwiseException>(() => RunAsync([typeof(AddApples), typeof(AddPearsFailingValidate)], Operation.Install));
        Flush();

        var values = _spans.SelectMany(static s => s.TagObjects).Select(static t => t.Value?.ToString() ?? "")
            .Concat(_metrics.SelectMany(static m => Points(m)).SelectMany(static p => Tags(p)).Select(static t => t.Value?.ToString() ?? ""));
        Assert.DoesNotContain(values, static v => v.Contains(Password, StringComparison.Ordinal));
        Assert.NotEmpty(_spans);
    }

    public void Dispose()
    {
        _meters.Dispose();
        _tracer.Dispose();
    }

    private Task<RunResult> RunAsync(Type[] migrations, Operation operation, ProjectVersion? version = null, params IRunObserver[] observers)
    {
        var services = new ServiceCollection().AddSingleton<IRunObserver, StepwiseTelemetry>();
        foreach (var observer in observers)
        {
            services.AddSingleton(observer);
        }

        var orchestrator = new MigrationOrchestrator(new MemoryEngine(_db), services.BuildServiceProvider(), NullLogger<MigrationOrchestrator>.Instance);
        var options = new RunOptions
        {
            Session = new SessionOptions(new DatabaseEndpoint { ConnectionString = $"memory;Password={Password}", Password = Password }),
            Environment = "staging",
        };
        return orchestrator.RunAsync(
            MigrationDiscovery.Build(migrations).Resolve("core-tests"), new PlanRequest(operation, version ?? V910), options, TestContext.Current.CancellationToken);
    }

    private void Flush()
    {
        _meters.ForceFlush();
        _tracer.ForceFlush();
    }

    private long Sum(string name, params (string Key, string Value)[] where) =>
        _metrics.Where(m => m.Name == name).SelectMany(static m => Points(m))
            .Where(p => where.All(w => Tags(p).Any(t => t.Key == w.Key && Equals(t.Value?.ToString(), w.Value))))
            .Sum(static p => p.GetSumLong());

    private long HistogramCount(string name) =>
        _metrics.Where(m => m.Name == name).SelectMany(static m => Points(m)).Sum(static p => p.GetHistogramCount());

    private static List<MetricPoint> Points(Metric metric)
    {
        var points = new List<MetricPoint>();
        foreach (ref readonly var point in metric.GetMetricPoints())
        {
            points.Add(point);
        }

        return points;
    }

    private static List<KeyValuePair<string, object?>> Tags(MetricPoint point)
    {
        var tags = new List<KeyValuePair<string, object?>>();
        foreach (var tag in point.Tags)
        {
            tags.Add(tag);
        }

        return tags;
    }

    private sealed class ThrowingObserver : IRunObserver
    {
        public void StepStarted(RunContext run, StepStart step) => throw new InvalidOperationException("observer broke");
    }
}
