using System.Text.Json.Serialization;
using Stepwise.Catalog;
using Stepwise.Execution;
using Stepwise.Planning;
using Planning = Stepwise.Planning;

namespace Stepwise.Hosting.Output;

// The JSON shapes are a public interface for pipelines: names are stable, additions only.

internal sealed record StepOutput(
    int Number, string Direction, string Version, string Key, string Name, string Path, string Phase, int Order, bool Transactional,
    string? Description, string? NonTransactionalReason, string? VersionAfter)
{
    public static StepOutput From(int number, PlanStep step) => new(
        number,
        step.Direction == MigrationDirection.Up ? "up" : "down",
        step.Migration.Version.ToString(),
        step.Migration.Key,
        step.Migration.Name,
        Catalog.MigrationKey.PathName(step.Migration.Path),
        Catalog.MigrationKey.PhaseName(step.Migration.Phase),
        step.Migration.Order,
        step.Migration.Transactional,
        step.Migration.Description,
        step.Migration.NonTransactionalReason,
        step.VersionAfter?.ToString());
}

internal sealed record DriftOutput(string Key, string Name, string Kind, string AppliedChecksum, string? CurrentChecksum)
{
    public static DriftOutput From(DriftEntry entry) =>
        new(entry.Key, entry.Name, entry.Kind switch { DriftKind.Changed => "changed", DriftKind.Missing => "missing", _ => "unrecorded" },
            entry.AppliedChecksum, entry.CurrentChecksum);
}

internal sealed record PlanOutput(
    string Project, string Operation, string? From, string? Target, IReadOnlyList<string> Route, bool NothingToDo, bool DryRun, int StepsRun,
    IReadOnlyList<StepOutput> Steps, IReadOnlyList<string> Notes, IReadOnlyList<DriftOutput> Drift)
{
    public static PlanOutput Create(MigrationPlan plan, Configuration.MigrationPolicies policies, bool dryRun, int stepsRun, IReadOnlyList<DriftEntry> drift) => new(
        plan.Project,
        plan.Operation.ToString().ToLowerInvariant(),
        plan.From?.ToString(),
        plan.Target?.ToString(),
        plan.Route.Select(static v => v.ToString()).ToArray(),
        plan.NothingToDo,
        dryRun,
        stepsRun,
        plan.Steps.Select(static (s, i) => StepOutput.From(i + 1, s)).ToArray(),
        PolicyNotes(plan, policies),
        drift.Select(DriftOutput.From).ToArray());

    // What the policies will add to the run, so that the plan shows everything that will happen.
    private static string[] PolicyNotes(MigrationPlan plan, Configuration.MigrationPolicies policies)
    {
        var notes = new List<string>();
        var nonTransactional = plan.Steps.Where(static s => !s.Migration.Transactional).Select(static s => s.Migration.Name).ToArray();
        if (policies.DryRunFirst && plan.Operation != Planning.Operation.Rollback && plan.Steps.Count > 0)
        {
            notes.Add(nonTransactional.Length == 0
                ? "dry_run_first: every step is rehearsed in a transaction that is rolled back before the real run"
                : $"dry_run_first: steps are rehearsed in a rolled-back transaction up to the first non-transactional one; not rehearsable: {string.Join(", ", nonTransactional)}");
        }

        var backedUp = plan.Steps.Where(static s => s.Migration.Changes.Count > 0).ToArray();
        if (policies.BackupBeforeUpgrade && plan.Operation == Planning.Operation.Upgrade && backedUp.Length > 0)
        {
            notes.Add("backup_before_upgrade: copies " + string.Join("; ", backedUp.Select(static s =>
                $"{string.Join(", ", s.Migration.Changes)} before {s.Migration.Name} (kept as the backups of {s.Migration.Version})")));
        }

        if (nonTransactional.Length > 0)
        {
            notes.Add($"outside a transaction: {string.Join(", ", nonTransactional)} (a failure there is not undone and stops later runs until rollback or repair)");
        }

        return notes.ToArray();
    }
}

internal sealed record AppliedOutput(string Key, string Version, string Name, string Checksum, DateTimeOffset AppliedAt, bool Transactional);

internal sealed record InterruptedOutput(string Key, string Version, string Name, string Direction, DateTimeOffset StartedAt);

internal sealed record StatusOutput(
    string Project, bool Initialized, string? CurrentVersion, DateTimeOffset? UpdatedAt, string? LatestVersion, int AppliedCount,
    IReadOnlyList<StepOutput> Pending, string? PendingProblem, IReadOnlyList<AppliedOutput> Failed, IReadOnlyList<DriftOutput> Drift,
    IReadOnlyList<InterruptedOutput> Interrupted, IReadOnlyList<string> Leftovers)
{
    public static StatusOutput From(StatusReport report) => new(
        report.Project,
        report.State.Initialized,
        report.State.CurrentVersion,
        report.State.UpdatedAt,
        report.LatestVersion,
        report.State.Applied.Count,
        report.Pending?.Steps.Select(static (s, i) => StepOutput.From(i + 1, s)).ToArray() ?? [],
        report.PendingProblem,
        report.State.Failed.Select(static f => new AppliedOutput(f.Key, f.Version, f.Name, f.Checksum, f.AppliedAt, f.Transactional)).ToArray(),
        report.Drift.Select(DriftOutput.From).ToArray(),
        report.State.Interrupted.Select(static i => new InterruptedOutput(i.Migration.Key, i.Migration.Version, i.Migration.Name,
            i.Direction == MigrationDirection.Up ? "up" : "down", i.Migration.AppliedAt)).ToArray(),
        report.Leftovers);
}

internal sealed record ProjectsOutput(IReadOnlyList<ProjectEntryOutput> Projects);

internal sealed record ProjectEntryOutput(string Project, string? Version);

/// <summary>The runner's Stepwise version, and the newest migration version of each project it carries.</summary>
internal sealed record VersionOutput(string Runner, IReadOnlyList<ProjectEntryOutput> Projects)
{
    public static VersionOutput Of(MigrationCatalog catalog) => new(
        RunRecord.ThisRunnerBuild,
        catalog.Projects.Values.OrderBy(static p => p.Name, StringComparer.Ordinal).Select(static p => new ProjectEntryOutput(p.Name, p.Latest?.ToString())).ToArray());
}

internal sealed record RepairOutput(string Project, bool DryRun, IReadOnlyList<RepairActionOutput> Actions);

internal sealed record RepairActionOutput(string Kind, string Key, string Name, string Version, string? Reason);

internal sealed record ValidateOutput(string Project, int AppliedCount, IReadOnlyList<DriftOutput> Drift, IReadOnlyList<AppliedOutput> Failed,
    IReadOnlyList<InterruptedOutput> Interrupted);

internal sealed record BackupsOutput(string Project, bool Dropped, bool DryRun, IReadOnlyList<BackupRecord> Backups);

internal sealed record ConfigCheckOutput(
    string Project, string? ConfigSource, IReadOnlyList<string> Versions, bool CompatibilityMatrix, int Migrations,
    bool RequireRollback, bool RequireValidation, bool DryRunFirst, bool BackupBeforeUpgrade);

internal sealed record WaitOutput(string Project, string Version, string MinVersion);

internal sealed record RollbackCheckOutput(
    string Route, string Version, string Key, string Name, string Verdict, bool Passed, IReadOnlyList<string> Lost, IReadOnlyList<string> Gained, string? Message);

internal sealed record RollbackReportOutput(string Project, string Target, bool Passed, IReadOnlyList<string> Routes, IReadOnlyList<RollbackCheckOutput> Checks)
{
    public static RollbackReportOutput From(Verification.RollbackReport report) => new(
        report.Project,
        report.Target,
        report.Passed,
        report.Routes,
        report.Checks.Select(static c => new RollbackCheckOutput(c.Route, c.Migration.Version.ToString(), c.Migration.Key, c.Migration.Name, VerdictName(c.Verdict),
            c.Passed, c.Difference?.Lost ?? [], c.Difference?.Gained ?? [], c.Message)).ToArray());

    private static string VerdictName(Verification.RollbackVerdict verdict) => verdict switch
    {
        Verification.RollbackVerdict.Restored => "restored",
        Verification.RollbackVerdict.NotRestored => "not-restored",
        Verification.RollbackVerdict.NotRepeatable => "not-repeatable",
        Verification.RollbackVerdict.UpFailed => "up-failed",
        Verification.RollbackVerdict.DownFailed => "down-failed",
        _ => "irreversible",
    };
}

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(PlanOutput))]
[JsonSerializable(typeof(StatusOutput))]
[JsonSerializable(typeof(ProjectsOutput))]
[JsonSerializable(typeof(RepairOutput))]
[JsonSerializable(typeof(ValidateOutput))]
[JsonSerializable(typeof(ConfigCheckOutput))]
[JsonSerializable(typeof(BackupsOutput))]
[JsonSerializable(typeof(RollbackReportOutput))]
[JsonSerializable(typeof(WaitOutput))]
[JsonSerializable(typeof(VersionOutput))]
[JsonSerializable(typeof(IReadOnlyList<HistoryEntry>))]
[JsonSerializable(typeof(IReadOnlyList<AuditRun>))]
internal sealed partial class OutputJsonContext : JsonSerializerContext;
