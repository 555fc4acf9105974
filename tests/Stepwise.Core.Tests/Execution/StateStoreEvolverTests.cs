using Microsoft.Extensions.Logging.Abstractions;
using Stepwise.Execution;

namespace Stepwise.Core.Tests.Execution;

// When and how far the runner's own store is evolved: the same for every engine, which only applies numbered steps.
public sealed class StateStoreEvolverTests
{
    [Fact]
    public async Task CurrentStore_IsOnlyRead()
    {
        var store = new NumberedStore(steps: 4, applied: 4);

        await StateStoreEvolver.PrepareAsync(store, "the test database", NullLogger.Instance, TestContext.Current.CancellationToken);

        Assert.Equal(0, store.Holds);
        Assert.Empty(store.Applied);
    }

    [Fact]
    public async Task StoreBehind_GetsTheMissingStepsInOrder_UnderOneHold()
    {
        var store = new NumberedStore(steps: 5, applied: 2);

        await StateStoreEvolver.PrepareAsync(store, "the test database", NullLogger.Instance, TestContext.Current.CancellationToken);

        Assert.Equal(1, store.Holds);
        Assert.Equal([3, 4, 5], store.Applied);
        Assert.True(store.Committed);
    }

    [Fact]
    public async Task StoreEvolvedByAnotherRunnerWhileWaiting_IsReadAgainUnderTheHold()
    {
        var store = new NumberedStore(steps: 3, applied: 1) { AppliedByTheTimeOfTheHold = 3 };

        await StateStoreEvolver.PrepareAsync(store, "the test database", NullLogger.Instance, TestContext.Current.CancellationToken);

        Assert.Empty(store.Applied);
    }

    [Fact]
    public async Task StoreNewerThanTheRunner_IsRefusedAndNothingIsKept()
    {
        var store = new NumberedStore(steps: 3, applied: 7);

        var failure = await Assert.ThrowsAsync<StepwiseException>(() =>
            StateStoreEvolver.PrepareAsync(store, "the test database", NullLogger.Instance, TestContext.Current.CancellationToken));

        Assert.Equal(FailureKind.InvalidState, failure.Kind);
        Assert.Equal("The test store in the test database is at version 7, newer than this runner understands (3). Use a newer runner.", failure.Message);
        Assert.False(store.Committed);
    }

    private sealed class NumberedStore(int steps, int applied) : IStateStore, IStoreEvolution
    {
        public int? AppliedByTheTimeOfTheHold { get; init; }

        public int Holds { get; private set; }

        public List<int> Applied { get; } = [];

        public bool Committed { get; private set; }

        public string StoreName => "test store";

        public int StoreSteps => steps;

        Task<int> IStateStore.ReadStoreVersionAsync(CancellationToken cancellationToken) => Task.FromResult(applied);

        public Task<IStoreEvolution> BeginStoreEvolutionAsync(CancellationToken cancellationToken)
        {
            Holds++;
            applied = AppliedByTheTimeOfTheHold ?? applied;
            return Task.FromResult<IStoreEvolution>(this);
        }

        Task<int> IStoreEvolution.ReadStoreVersionAsync(CancellationToken cancellationToken) => Task.FromResult(applied);

        public Task ApplyStepAsync(int step, CancellationToken cancellationToken)
        {
            Assert.Equal(applied + Applied.Count + 1, step);
            Applied.Add(step);
            return Task.CompletedTask;
        }

        public Task CommitAsync(CancellationToken cancellationToken)
        {
            Committed = true;
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
