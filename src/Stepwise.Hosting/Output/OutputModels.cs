using System.Text.Json.Serialization;
using Stepwise.Execution;
using Stepwise.Planning;

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
        new(entry.Key, entry.Name, entry.Kind == DriftKind.Changed ? "changed" : "missing", entry.AppliedChecksum, entry.CurrentChecksum);
}

internal sealed record PlanOutput(
    string Project, string Operation, string? From, string Target, bool NothingToDo, bool DryRun, int StepsRun,
    IReadOnlyList<StepOutput> Steps, IReadOnlyList<DriftOutput> Drift)
{
    public static PlanOutput Create(MigrationPlan plan, bool dryRun, int stepsRun, IReadOnlyList<DriftEntry> drift) => new(
        plan.Project,
        plan.Operation.ToString().ToLowerInvariant(),
        plan.From?.ToString(),
        plan.Target.ToString(),
        plan.NothingToDo,
        dryRun,
        stepsRun,
        plan.Steps.Select(static (s, i) => StepOutput.From(i + 1, s)).ToArray(),
        drift.Select(DriftOutput.From).ToArray());
}

internal sealed record AppliedOutput(string Key, string Version, string Name, string Checksum, DateTimeOffset AppliedAt, bool Transactional);

internal sealed record StatusOutput(
    string Project, bool Initialized, string? CurrentVersion, DateTimeOffset? UpdatedAt, string? LatestVersion, int AppliedCount,
    IReadOnlyList<StepOutput> Pending, string? PendingProblem, IReadOnlyList<AppliedOutput> Failed, IReadOnlyList<DriftOutput> Drift)
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
        report.Drift.Select(DriftOutput.From).ToArray());
}

internal sealed record ProjectsOutput(IReadOnlyList<string> Projects);

internal sealed record RepairOutput(string Project, bool DryRun, IReadOnlyList<RepairActionOutput> Actions);

internal sealed record RepairActionOutput(string Kind, string Key, string Name, string Version);

internal sealed record ValidateOutput(string Project, int AppliedCount, IReadOnlyList<DriftOutput> Drift, IReadOnlyList<AppliedOutput> Failed);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(PlanOutput))]
[JsonSerializable(typeof(StatusOutput))]
[JsonSerializable(typeof(ProjectsOutput))]
[JsonSerializable(typeof(RepairOutput))]
[JsonSerializable(typeof(ValidateOutput))]
[JsonSerializable(typeof(IReadOnlyList<HistoryEntry>))]
internal sealed partial class OutputJsonContext : JsonSerializerContext;
