namespace Stepwise.Execution;

/// <summary>
/// The runner's own store (PostgreSQL: schema <c>stepwise</c>) as an engine offers it: numbered steps, each applied
/// once and in order, and a hold that lets one runner at a time apply them. When and how far to evolve is the
/// runner's (<see cref="StateStoreEvolver"/>), the same for every engine.
/// </summary>
public interface IStateStore
{
    /// <summary>What the store is called in messages (e.g. "the stepwise schema").</summary>
    string StoreName { get; }

    /// <summary>How many numbered steps this runner knows: its store is current when the database has applied all of them.</summary>
    int StoreSteps { get; }

    /// <summary>The number of the last step the database has applied; 0 where the runner never wrote. Creates nothing.</summary>
    Task<int> ReadStoreVersionAsync(CancellationToken cancellationToken);

    /// <summary>Holds the store for evolution, one runner at a time (PostgreSQL: a transaction under an advisory lock).</summary>
    Task<IStoreEvolution> BeginStoreEvolutionAsync(CancellationToken cancellationToken);
}

/// <summary>A hold on the runner's store while its steps are applied; disposed without <see cref="CommitAsync"/>, nothing is kept.</summary>
public interface IStoreEvolution : IAsyncDisposable
{
    /// <summary>The number of the last step applied, read again under the hold (another runner may have evolved it meanwhile).</summary>
    Task<int> ReadStoreVersionAsync(CancellationToken cancellationToken);

    /// <summary>Applies step <paramref name="step"/> (1-based) and records it.</summary>
    Task ApplyStepAsync(int step, CancellationToken cancellationToken);

    /// <summary>Keeps the steps applied.</summary>
    Task CommitAsync(CancellationToken cancellationToken);
}
