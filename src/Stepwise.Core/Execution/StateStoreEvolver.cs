using Microsoft.Extensions.Logging;

namespace Stepwise.Execution;

/// <summary>
/// Brings the runner's own store up to this runner's steps: nothing when it is current (one read), else under the
/// engine's hold, reading the version again there, refusing a store newer than this runner, and applying the missing
/// steps in order. A runner never downgrades the store: an older runner refuses, and the newer one stays usable.
/// </summary>
internal static partial class StateStoreEvolver
{
    /// <exception cref="StepwiseException">The store is newer than this runner (kind <see cref="FailureKind.InvalidState"/>).</exception>
    public static async Task PrepareAsync(IStateStore store, string where, ILogger logger, CancellationToken cancellationToken)
    {
        var known = store.StoreSteps;
        if (await store.ReadStoreVersionAsync(cancellationToken).ConfigureAwait(false) == known)
        {
            return;
        }

        await using var evolution = await store.BeginStoreEvolutionAsync(cancellationToken).ConfigureAwait(false);
        var current = await evolution.ReadStoreVersionAsync(cancellationToken).ConfigureAwait(false);
        if (current > known)
        {
            throw new StepwiseException(FailureKind.InvalidState,
                $"The {store.StoreName} in {where} is at version {current}, newer than this runner understands ({known}). Use a newer runner.");
        }

        for (var step = current + 1; step <= known; step++)
        {
            await evolution.ApplyStepAsync(step, cancellationToken).ConfigureAwait(false);
        }

        await evolution.CommitAsync(cancellationToken).ConfigureAwait(false);
        if (current < known)
        {
            LogEvolved(logger, store.StoreName, current, known);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Evolved the {Store} from version {From} to {To}")]
    private static partial void LogEvolved(ILogger logger, string store, int from, int to);
}
