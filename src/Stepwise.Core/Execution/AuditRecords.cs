namespace Stepwise.Execution;

/// <summary>Which audit-log entries to read: every filter given must hold; <c>null</c> filters nothing.</summary>
/// <param name="Limit">How many entries at most, newest first.</param>
public sealed record AuditQuery(int Limit)
{
    /// <summary>Only this project's runs.</summary>
    public string? Project { get; init; }

    /// <summary>Only runs recorded with this environment.</summary>
    public string? Environment { get; init; }

    /// <summary>Only runs started at or after this moment.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Only runs that ended so (<c>succeeded</c>, <c>failed</c>, <c>interrupted</c>) or are still <c>running</c>.</summary>
    public string? Outcome { get; init; }

    /// <summary>Only the run with this id, or whose id starts with these hexadecimal digits (at least 8).</summary>
    public string? RunId { get; init; }

    /// <summary>The outcomes an entry can have, as stored.</summary>
    public static IReadOnlyList<string> Outcomes { get; } = ["running", "succeeded", "failed", "interrupted"];
}

/// <summary>One run as the audit log records it: who ran what, where, when, and how it ended.</summary>
/// <param name="Id">The entry's number, increasing with each run.</param>
/// <param name="RunId">The run's id; its steps carry it in the history (a rehearsal shares the id of the run it preceded).</param>
/// <param name="Project">The project.</param>
/// <param name="Operation">install, upgrade, rollback, migrate, or rehearsal (policy <c>dry_run_first</c>).</param>
/// <param name="FromVersion">The version the database was at.</param>
/// <param name="TargetVersion">The version the run moved to.</param>
/// <param name="Environment">The environment given to the runner.</param>
/// <param name="Host">The machine or pod the runner ran on.</param>
/// <param name="DatabaseUser">The database user the runner connected as.</param>
/// <param name="RunnerVersion">The Stepwise version of the runner.</param>
/// <param name="StartedAt">When the run started.</param>
/// <param name="FinishedAt">When it ended; <c>null</c> while running.</param>
/// <param name="Outcome">running, succeeded, failed or interrupted.</param>
/// <param name="Message">Why it failed or was interrupted, or what a rehearsal found.</param>
/// <param name="Steps">How many steps the history records for the run (rehearsals record none).</param>
public sealed record AuditRun(
    long Id,
    Guid RunId,
    string Project,
    string Operation,
    string? FromVersion,
    string? TargetVersion,
    string? Environment,
    string Host,
    string DatabaseUser,
    string RunnerVersion,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    string Outcome,
    string? Message,
    int Steps)
{
    /// <summary>The deploying identity (<c>STEPWISE_ACTOR</c>, or the CI system's user); runs of older runners record none.</summary>
    public string? Actor { get; init; }

    /// <summary>The operating-system user the runner ran as.</summary>
    public string? OsUser { get; init; }

    /// <summary>The Kubernetes service account, when given.</summary>
    public string? ServiceAccount { get; init; }

    /// <summary>The commit the migrations were built from, when given.</summary>
    public string? GitCommit { get; init; }

    /// <summary>The runner image, when given.</summary>
    public string? Image { get; init; }
}
