namespace Stepwise;

/// <summary>
/// A migration: <see cref="Up"/> with its rollback (<see cref="Down"/>), the check of the state it starts from
/// (<see cref="PreCheck"/>) and the proof that it worked (<see cref="Validate"/>).
/// </summary>
/// <typeparam name="TContext">The engine's context, e.g. <c>PostgresContext</c>.</typeparam>
/// <remarks>
/// The runner calls <c>PreCheck → Up → Validate</c> in one transaction (unless the class is
/// <see cref="NonTransactionalAttribute">non-transactional</see>), and on rollback <c>Down → PreCheck</c>, so a rollback
/// is proven to restore the state the migration started from. A check fails by throwing; <see cref="Require(bool, string, string)"/>
/// does that with a message naming the expectation.
/// </remarks>
public abstract class Migration<TContext> : IMigration
    where TContext : class, IMigrationContext
{
    /// <summary>
    /// Checks that the database is in the state this migration starts from. Throw (or call <see cref="Require(bool, string, string)"/>) to refuse.
    /// </summary>
    public virtual Task PreCheck(TContext db, CancellationToken ct) => Task.CompletedTask;

    /// <summary>Applies the migration.</summary>
    public abstract Task Up(TContext db, CancellationToken ct);

    /// <summary>Reverts exactly what <see cref="Up"/> did.</summary>
    public virtual Task Down(TContext db, CancellationToken ct) =>
        throw new IrreversibleMigrationException(GetType().FullName ?? GetType().Name);

    /// <summary>Proves that <see cref="Up"/> worked. Throw (or call <see cref="Require(bool, string, string)"/>) to fail the step and roll it back.</summary>
    public virtual Task Validate(TContext db, CancellationToken ct) => Task.CompletedTask;

    /// <summary>Fails the current check unless <paramref name="condition"/> holds.</summary>
    /// <param name="condition">What must be true.</param>
    /// <param name="expectation">
    /// The expectation in words, e.g. <c>"table orders exists"</c>. The failure reads
    /// <c>expected: table orders exists; found: it does not hold</c>; to say what was found, pass it as well.
    /// </param>
    /// <exception cref="MigrationCheckException">The condition is false.</exception>
    protected static void Require(bool condition, string expectation)
    {
        if (!condition)
        {
            throw new MigrationCheckException(expectation);
        }
    }

    /// <summary>Fails the current check unless <paramref name="condition"/> holds, saying what was found instead.</summary>
    /// <param name="condition">What must be true.</param>
    /// <param name="expectation">The expectation in words, e.g. <c>"every order has a customer"</c>.</param>
    /// <param name="found">What was found when it does not hold, e.g. <c>$"{orphans} orders without one"</c>.</param>
    /// <exception cref="MigrationCheckException">The condition is false.</exception>
    protected static void Require(bool condition, string expectation, string found)
    {
        if (!condition)
        {
            throw new MigrationCheckException(expectation, found);
        }
    }

    Type IMigration.ContextType => typeof(TContext);

    // Async, so that each phase runs in its own execution context: a culture, an Activity or an AsyncLocal that one phase
    // sets (even a phase written without async) is gone when the next begins.
    async Task IMigration.PreCheckAsync(IMigrationContext context, CancellationToken cancellationToken) =>
        await PreCheck(Cast(context), cancellationToken).ConfigureAwait(false);

    async Task IMigration.UpAsync(IMigrationContext context, CancellationToken cancellationToken) => await Up(Cast(context), cancellationToken).ConfigureAwait(false);

    async Task IMigration.DownAsync(IMigrationContext context, CancellationToken cancellationToken) => await Down(Cast(context), cancellationToken).ConfigureAwait(false);

    async Task IMigration.ValidateAsync(IMigrationContext context, CancellationToken cancellationToken) =>
        await Validate(Cast(context), cancellationToken).ConfigureAwait(false);

    private TContext Cast(IMigrationContext context) =>
        context as TContext ?? throw new InvalidOperationException(
            $"Migration {GetType().FullName} expects a {typeof(TContext).Name} but the engine provided a {context.GetType().Name}.");
}
