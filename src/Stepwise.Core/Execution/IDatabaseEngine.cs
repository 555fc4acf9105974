namespace Stepwise.Execution;

/// <summary>A database engine (PostgreSQL, MongoDB): opens sessions in which the runner reads state, locks and runs steps.</summary>
public interface IDatabaseEngine
{
    /// <summary>The name used by <c>--database-type</c>, e.g. <c>postgresql</c>.</summary>
    string Name { get; }

    /// <summary>The port a connection given as <c>DB_HOST</c> without <c>DB_PORT</c> uses (PostgreSQL: 5432).</summary>
    int DefaultPort { get; }

    /// <summary>The context the engine gives migrations; migrations must be written against it.</summary>
    Type ContextType { get; }

    /// <summary>Connects to the database.</summary>
    /// <exception cref="StepwiseException">The database cannot be reached or refuses the credentials (kind <see cref="FailureKind.Connection"/>).</exception>
    Task<IDatabaseSession> OpenAsync(SessionOptions options, CancellationToken cancellationToken);
}
