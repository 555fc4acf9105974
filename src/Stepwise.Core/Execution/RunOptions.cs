namespace Stepwise.Execution;

/// <summary>How a run behaves, beyond what it plans.</summary>
public sealed record RunOptions
{
    /// <summary>Where the database is and how to talk to it.</summary>
    public required SessionOptions Session { get; init; }

    /// <summary>The environment to record (e.g. <c>staging</c>).</summary>
    public string? Environment { get; init; }

    /// <summary>Print the plan and change nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>Run even though applied migrations differ from the code.</summary>
    public bool AllowDrift { get; init; }

    /// <summary>Who runs, and which build, for the audit log.</summary>
    public Observing.AuditActor? Who { get; init; }

    /// <summary>How long to wait for another runner holding the project's lock.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromMinutes(5);
}
