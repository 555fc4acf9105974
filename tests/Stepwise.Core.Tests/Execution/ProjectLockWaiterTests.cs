using Microsoft.Extensions.Logging.Abstractions;
using Stepwise.Execution;

namespace Stepwise.Core.Tests.Execution;

// The wait loop every engine shares; the engine's side is one attempt at a time.
public sealed class ProjectLockWaiterTests
{
    [Fact]
    public async Task LockThatFreesUp_IsTakenByALaterAttempt()
    {
        var locks = new TakenUntil(attempt: 3);

        await using var held = await Waiter().AcquireAsync(locks, "the test database", "shop", TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal(3, locks.Attempts);
        Assert.Same(TakenUntil.Held, held);
    }

    [Fact]
    public async Task LockHeldPastTheTimeout_FailsNamingTheHolderAndHowADeadOneIsLetGo()
    {
        var locks = new TakenUntil(attempt: int.MaxValue);

        var failure = await Assert.ThrowsAsync<StepwiseException>(() =>
            Waiter().AcquireAsync(locks, "the test database", "shop", TimeSpan.FromMilliseconds(200), TestContext.Current.CancellationToken));

        Assert.Equal(FailureKind.LockTimeout, failure.Kind);
        Assert.True(locks.Attempts >= 2, $"{locks.Attempts} attempt(s)");
        Assert.Equal(
            "Another runner has held the lock of shop in the test database for more than 0 s (held by pod migrate-7 since 12:00). " +
            "Let it finish and retry, or raise --lock-timeout. (Its lease ends.)", failure.Message);
    }

    [Fact]
    public async Task Cancellation_StopsTheWait()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Waiter().AcquireAsync(new TakenUntil(int.MaxValue), "the test database", "shop", TimeSpan.FromMinutes(5), cancel.Token));
    }

    private static ProjectLockWaiter Waiter() => new(NullLogger.Instance, TimeProvider.System);

    // Another runner holds the lock until the given attempt.
    private sealed class TakenUntil(int attempt) : IProjectLock
    {
        public static readonly IAsyncDisposable Held = new Release();

        public int Attempts { get; private set; }

        public string DeadHolderRelease => "Its lease ends.";

        public Task<IAsyncDisposable?> TryAcquireLockAsync(string project, CancellationToken cancellationToken) =>
            Task.FromResult(++Attempts >= attempt ? Held : null);

        public Task<string?> DescribeLockHolderAsync(string project) => Task.FromResult<string?>("pod migrate-7 since 12:00");

        private sealed class Release : IAsyncDisposable
        {
            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
