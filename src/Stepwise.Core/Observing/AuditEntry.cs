namespace Stepwise.Observing;

/// <summary>
/// One record of the audit trail, whole on its own: who ran what, where, when, how long and how it ended. Sinks send
/// these to log shippers and webhooks; the database keeps its own audit_log and history rows.
/// </summary>
/// <param name="Event"><c>run.started</c>, <c>step.finished</c>, <c>run.finished</c>; <c>rehearsal.finished</c> before <c>run.started</c> under policy <c>dry_run_first</c>; or <c>run.dry-run</c> for a dry run (which changes nothing and has no other event).</param>
/// <param name="RunId">The run's id, as in <c>audit_log</c> and <c>migration_history</c>.</param>
/// <param name="Project">The project.</param>
/// <param name="Operation">install, upgrade, rollback, migrate.</param>
/// <param name="FromVersion">The version the database was at.</param>
/// <param name="ToVersion">The version the run moves to.</param>
/// <param name="Environment">The environment given to the runner.</param>
/// <param name="Engine">The engine: postgresql, mongodb.</param>
/// <param name="Database">The database, when named by DB_NAME.</param>
/// <param name="Who">Who and what ran it.</param>
/// <param name="At">When the event happened.</param>
/// <param name="DurationSeconds">How long the run or step took, for finished events.</param>
/// <param name="Outcome">succeeded, failed or interrupted, for finished events.</param>
/// <param name="ErrorType">The failure's kind (e.g. ValidationFailed).</param>
/// <param name="Error">The failure's message, at most <see cref="MaxErrorLength"/> characters.</param>
/// <param name="Migration">The step's migration, for step events.</param>
/// <param name="MigrationVersion">The migration's version.</param>
/// <param name="Direction">up or down.</param>
/// <param name="Checksum">The migration's checksum.</param>
/// <param name="Steps">How many steps the run has (or, for a dry run, would have), for run events.</param>
/// <param name="Commands">The statements or commands the step sent, bounded and without passwords (see <see cref="Execution.SentCommands"/>).</param>
/// <param name="BlockedSessions">For a watched step: the most other sessions seen waiting for its locks at once.</param>
/// <param name="LongestBlockedSeconds">For a watched step: the longest any of them was seen waiting.</param>
/// <param name="TableSizes">For a step whose migration declares what it changes: each table's size before and after.</param>
public sealed record AuditEntry(
    string Event,
    Guid RunId,
    string Project,
    string Operation,
    string? FromVersion,
    string? ToVersion,
    string? Environment,
    string Engine,
    string? Database,
    AuditActor Who,
    DateTimeOffset At,
    double? DurationSeconds = null,
    string? Outcome = null,
    string? ErrorType = null,
    string? Error = null,
    string? Migration = null,
    string? MigrationVersion = null,
    string? Direction = null,
    string? Checksum = null,
    int? Steps = null,
    string? Commands = null,
    int? BlockedSessions = null,
    double? LongestBlockedSeconds = null,
    IReadOnlyList<Execution.TableSize>? TableSizes = null)
{
    /// <summary>The longest error message an entry carries; longer ones are cut with an ellipsis.</summary>
    public const int MaxErrorLength = 2000;
}

/// <summary>Who ran a migration, from where, and which build of it.</summary>
/// <param name="Actor">The deploying identity given to the runner (<c>STEPWISE_ACTOR</c>, or the CI system's user).</param>
/// <param name="OsUser">The operating-system user the runner ran as.</param>
/// <param name="Host">The machine or pod name.</param>
/// <param name="ServiceAccount">The Kubernetes service account, when the chart gives it.</param>
/// <param name="GitCommit">The commit the migrations were built from, when given.</param>
/// <param name="Image">The runner image, when given.</param>
public sealed record AuditActor(string? Actor, string? OsUser, string Host, string? ServiceAccount, string? GitCommit, string? Image);

/// <summary>
/// Where the audit trail goes besides the database. <see cref="Write"/> must return at once (a sink that sends over a
/// network queues); <see cref="FlushAsync"/> runs before the runner exits, with a bounded time. A sink that fails is
/// reported as a warning and never fails or stops a migration.
/// </summary>
public interface IAuditSink
{
    /// <summary>Takes one entry.</summary>
    void Write(AuditEntry entry);

    /// <summary>Delivers what is queued, giving up when <paramref name="cancellationToken"/> fires.</summary>
    Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
