using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Stepwise.Catalog;
using Stepwise.Core.Tests.Execution.Memory;
using Stepwise.Execution;
using Stepwise.Observing;
using Stepwise.Planning;
using Stepwise.Versioning;

namespace Stepwise.Core.Tests.Observing;

/// <summary>
/// The heartbeat of a long step, on the memory engine with a clock the test moves: a line per interval while the step
/// runs, naming it and its place in the run, and none once it has ended.
/// </summary>
public sealed class StepHeartbeatTests
{
    [Fact]
    public async Task ALongStep_SaysItIsAliveEveryInterval_AndStopsWhenItEnds()
    {
        var clock = new FakeTimeProvider();
        var lines = new LineLogger();
        using var heartbeat = new StepHeartbeat(lines, clock, TimeSpan.FromSeconds(10));
        var gate = new TaskCompletionSource();
        var run = RunAsync(heartbeat, gate.Task);
        await AddPearsSlowly.Started.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        foreach (var seconds in new[] { 10, 10, 5 })
        {
            clock.Advance(TimeSpan.FromSeconds(seconds));
        }

        gate.SetResult();
        await run;
        clock.Advance(TimeSpan.FromSeconds(60));

        Assert.Equal(["Still running AddPearsSlowly, step 2 of 2: 10 s so far", "Still running AddPearsSlowly, step 2 of 2: 20 s so far"], lines.Lines);
    }

    [Fact]
    public void AStepShorterThanTheInterval_WritesNothing()
    {
        var clock = new FakeTimeProvider();
        var lines = new LineLogger();
        using var heartbeat = new StepHeartbeat(lines, clock, TimeSpan.FromSeconds(10));
        var catalog = MigrationDiscovery.Build([typeof(AddApples)]).Resolve("core-tests");
        var run = new RunContext(RunRecord.Start("core-tests", "install", "9.0.0", null, null), "memory", null, 1);
        var step = new StepStart(run.Record, catalog.Migrations[0], MigrationDirection.Up) { Position = 1 };

        heartbeat.StepStarted(run, step);
        clock.Advance(TimeSpan.FromSeconds(9));
        heartbeat.StepFinished(run, new StepRecord(step, StepStatus.Succeeded, clock.GetUtcNow(), TimeSpan.FromSeconds(9), null, null), null);
        clock.Advance(TimeSpan.FromSeconds(60));

        Assert.Empty(lines.Lines);
    }

    private static async Task RunAsync(StepHeartbeat heartbeat, Task gate)
    {
        AddPearsSlowly.Gate = gate;
        AddPearsSlowly.Started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var services = new ServiceCollection().AddSingleton<IRunObserver>(heartbeat).BuildServiceProvider();
        var orchestrator = new MigrationOrchestrator(new MemoryEngine(new MemoryDatabase()), services, NullLogger<MigrationOrchestrator>.Instance);
        var options = new RunOptions { Session = new SessionOptions(new DatabaseEndpoint { ConnectionString = "memory" }) };

        // Off the test's thread: the step waits for the gate while the test moves the clock.
        await Task.Run(() => orchestrator.RunAsync(MigrationDiscovery.Build([typeof(AddApples), typeof(AddPearsSlowly)]).Resolve("core-tests"),
            new PlanRequest(Operation.Install, ProjectVersion.Parse("9.1.0")), options, TestContext.Current.CancellationToken));
    }

    private sealed class LineLogger : ILogger<StepHeartbeat>
    {
        private readonly List<string> _lines = [];

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_lines)
                {
                    return [.. _lines];
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_lines)
            {
                _lines.Add(formatter(state, exception));
            }
        }
    }
}

/// <summary>Adds pears once the test opens its gate, saying when it has started.</summary>
[Migration("9.1.0", 1)]
public sealed class AddPearsSlowly() : AddThing("pears")
{
    public static Task Gate { get; set; } = Task.CompletedTask;

    public static TaskCompletionSource Started { get; set; } = new();

    public override async Task Up(MemoryContext db, CancellationToken ct)
    {
        Started.TrySetResult();
        await Gate.WaitAsync(ct);
        await base.Up(db, ct);
    }
}
