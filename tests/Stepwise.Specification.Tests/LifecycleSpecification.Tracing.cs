using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Stepwise.Execution;
using Stepwise.Observing;
using Stepwise.Planning;

namespace Stepwise.Specification.Tests;

/// <summary>The database client's own spans, where the engine's driver traces (Npgsql, MongoDB.Driver), sit under the step that sent them.</summary>
public abstract partial class LifecycleSpecification
{
    [Fact]
    public async Task ClientSpans_AreChildrenOfTheStepThatSentThem()
    {
        var tracing = Assert.IsAssignableFrom<IClientTracing>(engine.Engine);
        await using var db = await engine.CreateDatabaseAsync();
        var spans = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == StepwiseTelemetry.Name || tracing.ActivitySources.Contains(source.Name),
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);
        var services = new ServiceCollection().AddSingleton<IRunObserver, StepwiseTelemetry>().BuildServiceProvider();

        await new MigrationOrchestrator(engine.Engine, services, NullLogger<MigrationOrchestrator>.Instance)
            .RunAsync(Catalog(All), new PlanRequest(Operation.Install, V100), Options(db), Cancellation);

        // Other tests run at the same time: only this run's trace counts.
        var run = Assert.Single(spans, static s => s.Source.Name == StepwiseTelemetry.Name && s.Parent is null && s.DisplayName == "install spec"
            && s.GetTagItem("stepwise.version.to") is "1.0.0");
        var step = Assert.Single(spans, s => s.Source.Name == StepwiseTelemetry.Name && s.ParentSpanId == run.SpanId && s.TraceId == run.TraceId);
        Assert.Contains(spans, s => tracing.ActivitySources.Contains(s.Source.Name) && s.TraceId == run.TraceId && s.ParentSpanId == step.SpanId);
    }
}
