using Stepwise.Planning;
using Stepwise.Versioning;

namespace Stepwise.Execution;

/// <summary>What a run did.</summary>
/// <param name="Plan">The plan it followed.</param>
/// <param name="StepsRun">How many steps committed.</param>
/// <param name="Version">The project version afterwards (for a dry run: the version it would reach).</param>
/// <param name="DryRun">Whether nothing was changed on purpose.</param>
/// <param name="Drift">Drift found (and allowed) before running.</param>
public sealed record RunResult(MigrationPlan Plan, int StepsRun, ProjectVersion? Version, bool DryRun, IReadOnlyList<DriftEntry> Drift);
