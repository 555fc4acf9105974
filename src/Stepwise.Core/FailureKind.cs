namespace Stepwise;

/// <summary>Why a run did not succeed; the host maps each kind to a documented exit code.</summary>
public enum FailureKind
{
    /// <summary>Bad arguments or configuration: unknown project or version, malformed version, missing connection.</summary>
    Usage,

    /// <summary>The migrations themselves are malformed (duplicate keys, wrong phase for the path, missing checksum).</summary>
    Catalog,

    /// <summary>A migration's pre-check refused to run it; nothing of that step was applied.</summary>
    PreCheckFailed,

    /// <summary>A migration's validation failed after <c>Up</c>; the step was rolled back.</summary>
    ValidationFailed,

    /// <summary>A migration's <c>Up</c> failed.</summary>
    MigrationFailed,

    /// <summary>A rollback step failed, or did not restore the state its migration started from.</summary>
    RollbackFailed,

    /// <summary>Another runner held the project's lock for longer than the lock timeout.</summary>
    LockTimeout,

    /// <summary>Applied migrations differ from the code (changed or missing).</summary>
    Drift,

    /// <summary>The database could not be reached or refused the credentials.</summary>
    Connection,

    /// <summary>The database's state does not allow the request (installed at another version, a failed step awaits repair, ...).</summary>
    InvalidState,

    /// <summary>The run was cancelled (SIGTERM/SIGINT).</summary>
    Cancelled,

    /// <summary>The database user lacks a privilege the run needs.</summary>
    Permission,
}
