using Microsoft.Extensions.Logging;

namespace Stepwise.Execution;

// The phases of a step: the migration's own (PreCheck, Up, Validate; Down and the rollback check) run one after the
// other, and a failure is named by the phase that was running.
internal sealed partial class StepExecutor
{
    // Runs the migration's phases in order and returns the phase its closing checks belong to. held: the step's scope
    // can hold checks back (see IHeldChecks); the closing checks always may be, PreCheck's when the scope says so. The
    // phases are awaited here, one after the other, so that the migration's code runs one call below the executor.
    private async Task<StepPhase> InvokeAsync(IMigration instance, IMigrationContext context, MigrationDirection direction, IHeldChecks? held,
        CancellationToken cancellationToken)
    {
        var preChecksHeld = direction == MigrationDirection.Up && held is { MayHoldPreChecks: true };
        if (preChecksHeld)
        {
            held!.HoldChecks();
        }

        var phase = direction == MigrationDirection.Up ? StepPhase.PreCheck : StepPhase.Down;
        StepPhase? checksOf = null;
        try
        {
            if (direction == MigrationDirection.Up)
            {
                using (logger.BeginScope(PhaseScopes[(int)phase]))
                {
                    await instance.PreCheckAsync(context, cancellationToken).ConfigureAwait(false);
                }

                // Up sends one statement and checks nothing itself: a check that fails with it is PreCheck's, verified with the statement.
                (phase, checksOf) = (StepPhase.Up, preChecksHeld ? StepPhase.PreCheck : null);
                using (logger.BeginScope(PhaseScopes[(int)phase]))
                {
                    await instance.UpAsync(context, cancellationToken).ConfigureAwait(false);
                }

                (phase, checksOf) = (StepPhase.Start, null); // holding the checks is the engine's doing, not a phase's
                held?.HoldChecks();
                phase = StepPhase.Validate;
                using (logger.BeginScope(PhaseScopes[(int)phase]))
                {
                    await instance.ValidateAsync(context, cancellationToken).ConfigureAwait(false);
                }

                return StepPhase.Validate;
            }

            using (logger.BeginScope(PhaseScopes[(int)phase]))
            {
                await instance.DownAsync(context, cancellationToken).ConfigureAwait(false);
            }

            phase = StepPhase.Start;
            held?.HoldChecks();
            phase = StepPhase.RollbackCheck;
            using (logger.BeginScope(PhaseScopes[(int)phase]))
            {
                await instance.PreCheckAsync(context, cancellationToken).ConfigureAwait(false);
            }

            return StepPhase.RollbackCheck;
        }
        catch (Exception ex) when (InPhase(phase, ex, checksOf) is { } failed)
        {
            throw failed;
        }
    }

    // A failure names the phase it happened in. checksOf: a held check that fails here belongs to that earlier phase.
    private async Task InPhaseAsync(StepPhase phase, Func<Task> work, StepPhase? checksOf = null)
    {
        using var phaseScope = logger.BeginScope(PhaseScopes[(int)phase]);
        try
        {
            await work().ConfigureAwait(false);
        }
        catch (Exception ex) when (InPhase(phase, ex, checksOf) is { } failed)
        {
            throw failed;
        }
    }

    private async Task<T> InPhaseAsync<T>(StepPhase phase, Func<Task<T>> work)
    {
        using var phaseScope = logger.BeginScope(PhaseScopes[(int)phase]);
        try
        {
            return await work().ConfigureAwait(false);
        }
        catch (Exception ex) when (InPhase(phase, ex, null) is { } failed)
        {
            throw failed;
        }
    }

    private static PhaseFailedException? InPhase(StepPhase phase, Exception ex, StepPhase? checksOf) => ex switch
    {
        MigrationCheckException when checksOf is { } owner => new PhaseFailedException(owner, ex),
        StepwiseException or PhaseFailedException or OutOfMemoryException => null,
        _ => new PhaseFailedException(phase, ex),
    };

    private static string PhaseName(StepPhase phase) => phase switch
    {
        StepPhase.PreCheck => "PreCheck",
        StepPhase.Up => "Up",
        StepPhase.Validate => "Validate",
        StepPhase.Down => "Down",
        StepPhase.RollbackCheck => "the rollback check",
        StepPhase.Record => "the record",
        StepPhase.Backup => "the backup",
        _ => "the start",
    };

    // Carries a failure out of the phase it happened in; never leaves the executor.
    private sealed class PhaseFailedException(StepPhase phase, Exception cause) : Exception(cause.Message, cause)
    {
        public StepPhase Phase => phase;
    }

    // What logs written during a phase (by the migration, the driver) carry as field Phase; one list per phase, made once.
    private static readonly KeyValuePair<string, object?>[][] PhaseScopes =
        [.. Enum.GetValues<StepPhase>().Select(static p => new[] { KeyValuePair.Create("Phase", (object?)p.ToString()) })];

    private enum StepPhase
    {
        Start,
        Backup,
        PreCheck,
        Up,
        Validate,
        Down,
        RollbackCheck,
        Record,
    }
}
