using Microsoft.Extensions.Logging;

namespace Stepwise.Execution;

/// <summary>
/// Takes a project's lock, waiting for another runner to finish: attempts spaced from 50 ms doubling to 1 s, until the
/// timeout. Waiting is done here, between attempts, never inside the database: a statement waiting on a PostgreSQL
/// server keeps a snapshot open, and <c>CREATE INDEX CONCURRENTLY</c> in the runner that holds the lock waits for
/// every such snapshot to end, so the two runners would wait on each other until the timeout.
/// </summary>
internal sealed partial class ProjectLockWaiter(ILogger logger, TimeProvider time, Observing.RunEvents? events = null)
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(1);

    /// <exception cref="StepwiseException">The lock was not had in time (kind <see cref="FailureKind.LockTimeout"/>).</exception>
    /// <param name="locks">The engine's lock.</param>
    /// <param name="where">Where the database is, for the message (no secrets).</param>
    /// <param name="project">The project.</param>
    /// <param name="timeout">How long to wait for another runner.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    public async Task<IAsyncDisposable> AcquireAsync(IProjectLock locks, string where, string project, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var began = time.GetUtcNow();
        var deadline = began + timeout;
        var pause = FirstPause;
        var announced = false;
        while (true)
        {
            if (await locks.TryAcquireLockAsync(project, cancellationToken).ConfigureAwait(false) is { } held)
            {
                events?.LockAcquired(project, time.GetUtcNow() - began);
                return held;
            }

            var remaining = deadline - time.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                var holder = await locks.DescribeLockHolderAsync(project).ConfigureAwait(false);
                throw new StepwiseException(FailureKind.LockTimeout,
                    $"Another runner has held the lock of {project} in {where} for more than {timeout.TotalSeconds:0} s" +
                    (holder is null ? ". " : $" (held by {holder}). ") +
                    $"Let it finish and retry, or raise --lock-timeout. ({locks.DeadHolderRelease})");
            }

            if (!announced)
            {
                LogWaitingForLock(project, timeout.TotalSeconds);
                announced = true;
            }

            await Task.Delay(remaining < pause ? remaining : pause, time, cancellationToken).ConfigureAwait(false);
            pause = pause * 2 < LongestPause ? pause * 2 : LongestPause;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Another runner is migrating {Project}; waiting up to {TimeoutSeconds:0} s for its lock")]
    private partial void LogWaitingForLock(string project, double timeoutSeconds);
}
