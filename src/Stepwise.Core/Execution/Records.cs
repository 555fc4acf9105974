using System.Reflection;
using Stepwise.Catalog;
using Stepwise.Versioning;

namespace Stepwise.Execution;

/// <summary>Who runs what, where: recorded with every run and step.</summary>
/// <param name="RunId">Identifies the run across audit log and history.</param>
/// <param name="Project">The project.</param>
/// <param name="Operation">What the run does (install, upgrade, rollback, repair).</param>
/// <param name="TargetVersion">The version the run moves to, when it moves.</param>
/// <param name="FromVersion">The version the database was at.</param>
/// <param name="Environment">The environment given to the runner.</param>
/// <param name="Host">The machine or pod the runner runs on.</param>
/// <param name="RunnerVersion">The Stepwise version of the runner.</param>
public sealed record RunRecord(
    Guid RunId,
    string Project,
    string Operation,
    string? TargetVersion,
    string? FromVersion,
    string? Environment,
    string Host,
    string RunnerVersion)
{
    /// <summary>This runner's Stepwise build: its version and, after '+', the commit it was built from.</summary>
    public static string ThisRunnerBuild { get; } =
        typeof(RunRecord).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    // Runs record the version alone: the commit says nothing to someone reading the audit log.
    private static readonly string ThisRunner = ThisRunnerBuild.Split('+')[0];

    /// <summary>Who ran it and which build, as far as the runner was told; <c>null</c> when nobody said.</summary>
    public Observing.AuditActor? Who { get; init; }

    /// <summary>A new run of this runner, on this machine.</summary>
    public static RunRecord Start(string project, string operation, string? targetVersion, string? fromVersion, string? environment) =>
        new(Guid.NewGuid(), project, operation, targetVersion, fromVersion, environment, System.Environment.MachineName, ThisRunner);
}

/// <summary>How a run ended.</summary>
public enum RunOutcome
{
    /// <summary>Every step succeeded.</summary>
    Succeeded,

    /// <summary>A step failed or the run was refused after it started.</summary>
    Failed,
}

/// <summary>What the engine needs to start a step.</summary>
/// <param name="Run">The run.</param>
/// <param name="Migration">The migration.</param>
/// <param name="Direction">Up or down.</param>
/// <param name="VersionAfter">
/// The project version the step records when it commits. A non-transactional rollback step records it as it starts:
/// once its <c>Down</c> has begun, the database is no longer at the version above.
/// </param>
public sealed record StepStart(RunRecord Run, MigrationDescriptor Migration, MigrationDirection Direction, ProjectVersion? VersionAfter = null)
{
    /// <summary>How long each statement of the step may wait for a lock (policy <c>lock_timeout</c>); <c>null</c> for no bound.</summary>
    public TimeSpan? LockTimeout { get; init; }

    /// <summary>The step's place in its run's plan, from 1; 0 for a step run outside one (rehearsal, verification).</summary>
    public int Position { get; init; }

    /// <summary>Where the engine's context notes the statements or commands the migration sends (see <see cref="SentCommands"/>).</summary>
    public SentCommands Commands { get; init; } = new();
}

/// <summary>How a step ended.</summary>
public enum StepStatus
{
    /// <summary>The step committed.</summary>
    Succeeded,

    /// <summary>The step failed; a transactional step left nothing behind.</summary>
    Failed,

    /// <summary>
    /// The step was stopped from outside (cancelled, or its connection lost): a non-transactional one stays recorded as
    /// started, so that the next run checks what it left.
    /// </summary>
    Interrupted,
}

/// <summary>A step's outcome, as recorded in history.</summary>
/// <param name="Start">What ran.</param>
/// <param name="Status">How it ended.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="Duration">How long it took.</param>
/// <param name="VersionAfter">The project version to record, when the step completes a version.</param>
/// <param name="Error">What failed, for failed steps.</param>
/// <param name="Backups">Backups taken before the step (policy <c>backup_before_upgrade</c>).</param>
public sealed record StepRecord(
    StepStart Start,
    StepStatus Status,
    DateTimeOffset StartedAt,
    TimeSpan Duration,
    ProjectVersion? VersionAfter,
    string? Error,
    IReadOnlyList<BackupRecord>? Backups = null)
{
    /// <summary>The statements or commands the step sent, bounded and without passwords: what its start noted (<see cref="SentCommands.Text"/>).</summary>
    public string? Commands => Start.Commands.Text;

    /// <summary>What the step did to other sessions, where the engine watched it (<see cref="IStepImpactWatch"/>).</summary>
    public StepImpact? Impact { get; init; }
}

/// <summary>A copy of a table or collection taken before a step changed it (policy <c>backup_before_upgrade</c>).</summary>
/// <param name="Project">The project.</param>
/// <param name="Version">The version whose step changed it.</param>
/// <param name="Source">What was copied, as the engine names it (on PostgreSQL a schema-qualified table).</param>
/// <param name="Backup">Where the copy is, as the engine names it.</param>
/// <param name="Rows">How many rows or documents were copied.</param>
/// <param name="MigrationKey">The migration the copy was taken for.</param>
/// <param name="CreatedAt">When the copy was taken.</param>
public sealed record BackupRecord(string Project, string Version, string Source, string Backup, long Rows, string MigrationKey, DateTimeOffset CreatedAt);

/// <summary>One row of a project's migration history.</summary>
public sealed record HistoryEntry(
    long Id,
    Guid RunId,
    string Version,
    string Key,
    string Name,
    string Direction,
    string Status,
    string Checksum,
    bool Transactional,
    DateTimeOffset StartedAt,
    double DurationMs,
    string? Environment,
    string Host,
    string DatabaseUser,
    string RunnerVersion,
    string? Error)
{
    /// <summary>The statements or commands the step sent, bounded and without passwords; <c>null</c> where none were noted.</summary>
    public string? Commands { get; init; }
}

/// <summary>What a repair does to one migration's record.</summary>
public enum RepairKind
{
    /// <summary>Forget a failed non-transactional step: the next run will apply it again.</summary>
    ClearFailure,

    /// <summary>Accept the current code's checksum for an applied migration.</summary>
    AlignChecksum,

    /// <summary>Forget an applied migration that is no longer in the code.</summary>
    ForgetMissing,

    /// <summary>Record a failed or interrupted step as applied: its <c>Validate</c> passes, so it had finished.</summary>
    MarkApplied,

    /// <summary>Record again an applied migration whose applied record was deleted, from its history.</summary>
    RestoreRecord,
}

/// <summary>A repair of one migration's record.</summary>
/// <param name="Kind">What to do.</param>
/// <param name="Key">The migration's key.</param>
/// <param name="Name">The migration's name.</param>
/// <param name="Version">The migration's version.</param>
/// <param name="Checksum">For <see cref="RepairKind.AlignChecksum"/> and <see cref="RepairKind.MarkApplied"/>: the checksum to store.</param>
/// <param name="Reason">Why, in words for the history (e.g. what the migration's checks found).</param>
public sealed record RepairAction(RepairKind Kind, string Key, string Name, string Version, string? Checksum, string? Reason = null);
