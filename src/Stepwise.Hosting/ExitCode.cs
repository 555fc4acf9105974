namespace Stepwise.Hosting;

/// <summary>
/// The runner's exit codes: the single source for them, listed in README.md. They are stable: Jobs, pipelines and
/// alerts key on them.
/// </summary>
public enum ExitCode
{
    /// <summary>Done, or nothing to do.</summary>
    Ok = 0,

    /// <summary>An unexpected error (a bug, or a database error outside any migration).</summary>
    InternalError = 1,

    /// <summary>Bad arguments or configuration: unknown project or version, malformed version, no connection, malformed migrations.</summary>
    Usage = 2,

    /// <summary>A migration's PreCheck refused to run; nothing of that step was applied.</summary>
    PreCheckFailed = 3,

    /// <summary>A migration's Validate failed after Up; the step was rolled back.</summary>
    ValidationFailed = 4,

    /// <summary>A rollback step failed or did not restore the state before its migration.</summary>
    RollbackFailed = 5,

    /// <summary>Another runner held the project's lock past --lock-timeout.</summary>
    LockTimeout = 6,

    /// <summary>Applied migrations differ from the code (changed or missing).</summary>
    Drift = 7,

    /// <summary>The database cannot be reached or refused the credentials.</summary>
    ConnectionFailed = 8,

    /// <summary>A migration's Up failed.</summary>
    MigrationFailed = 9,

    /// <summary>The database's state does not allow the request (installed at another version, failed step awaiting repair, --from-version mismatch).</summary>
    InvalidState = 10,

    /// <summary>The database user lacks a privilege the run needs (the message names it and the grant).</summary>
    PermissionDenied = 11,

    /// <summary>Cancelled by SIGINT/SIGTERM; the running step was rolled back when transactional.</summary>
    Cancelled = 130,
}

/// <summary>Maps failures to exit codes.</summary>
public static class ExitCodes
{
    /// <summary>The exit code of a failure kind.</summary>
    public static ExitCode For(FailureKind kind) => kind switch
    {
        FailureKind.Usage or FailureKind.Catalog => ExitCode.Usage,
        FailureKind.PreCheckFailed => ExitCode.PreCheckFailed,
        FailureKind.ValidationFailed => ExitCode.ValidationFailed,
        FailureKind.MigrationFailed => ExitCode.MigrationFailed,
        FailureKind.RollbackFailed => ExitCode.RollbackFailed,
        FailureKind.LockTimeout => ExitCode.LockTimeout,
        FailureKind.Drift => ExitCode.Drift,
        FailureKind.Connection => ExitCode.ConnectionFailed,
        FailureKind.InvalidState => ExitCode.InvalidState,
        FailureKind.Cancelled => ExitCode.Cancelled,
        FailureKind.Permission => ExitCode.PermissionDenied,
        _ => ExitCode.InternalError,
    };
}
