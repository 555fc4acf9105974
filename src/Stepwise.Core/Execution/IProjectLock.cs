namespace Stepwise.Execution;

/// <summary>
/// A project's lock as an engine offers it: one attempt at a time, and who holds it. Waiting, backing off and giving up
/// are the runner's (<see cref="ProjectLockWaiter"/>), the same for every engine.
/// </summary>
public interface IProjectLock
{
    /// <summary>Takes the project's lock if it is free; <c>null</c> when another runner holds it. Disposing the result releases it.</summary>
    Task<IAsyncDisposable?> TryAcquireLockAsync(string project, CancellationToken cancellationToken);

    /// <summary>Who holds the project's lock, in words (a pod, a host, since when), or <c>null</c> when that cannot be seen.</summary>
    Task<string?> DescribeLockHolderAsync(string project);

    /// <summary>How the lock of a runner that died is let go, in one sentence, for the timeout's message.</summary>
    string DeadHolderRelease { get; }
}
