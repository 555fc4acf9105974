namespace Stepwise.State;

/// <summary>What the database says about one project, read in one go under the project's lock.</summary>
public sealed record DatabaseState
{
    /// <summary>The project the state belongs to.</summary>
    public required string Project { get; init; }

    /// <summary>Whether the Stepwise schema exists in the database at all.</summary>
    public bool Initialized { get; init; }

    /// <summary>Whether the Stepwise schema is exactly the one this runner writes (nothing to create or evolve).</summary>
    public bool SchemaCurrent { get; init; }

    /// <summary>The version the project is at, as stored; <c>null</c> when never installed or an install is under way.</summary>
    public string? CurrentVersion { get; init; }

    /// <summary>When the project's version last changed.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>Applied migrations, in the order they were applied.</summary>
    public IReadOnlyList<AppliedMigration> Applied { get; init; } = [];

    /// <summary>Non-transactional migrations that failed and may have left partial changes: they block further runs.</summary>
    public IReadOnlyList<AppliedMigration> Failed { get; init; } = [];

    /// <summary>
    /// Non-transactional steps that started and never finished: their runner stopped (killed, cancelled, the connection
    /// lost) while it ran them. Read under the project's lock, they belong to a runner that is gone.
    /// </summary>
    public IReadOnlyList<InterruptedMigration> Interrupted { get; init; } = [];

    /// <summary>
    /// Migrations the history records as applied (their last successful step went up) that have no applied record: the
    /// state was edited by hand. Read only where the runner asks for it (status, validate, and runs under the lock).
    /// </summary>
    public IReadOnlyList<AppliedMigration> Unrecorded { get; init; } = [];

    /// <summary>Whether the database records anything for the project.</summary>
    public bool HasProject => CurrentVersion is not null || Applied.Count > 0 || Failed.Count > 0 || Interrupted.Count > 0;

    /// <summary>Failed and interrupted steps: what must be resolved (rolled back, repaired or resumed) before the project moves up.</summary>
    public bool HasUnfinishedSteps => Failed.Count > 0 || Interrupted.Count > 0;

    /// <summary>The state of a database that has never seen the project.</summary>
    public static DatabaseState Empty(string project, bool initialized = false) => new() { Project = project, Initialized = initialized };
}
