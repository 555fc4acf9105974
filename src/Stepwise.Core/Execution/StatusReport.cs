using Stepwise.Planning;
using Stepwise.State;

namespace Stepwise.Execution;

/// <summary>Where a project stands in a database.</summary>
/// <param name="Project">The project.</param>
/// <param name="State">What the database records.</param>
/// <param name="LatestVersion">The newest version the runner knows.</param>
/// <param name="Pending">The plan to the newest version, when one can be made.</param>
/// <param name="PendingProblem">Why no plan can be made, when none can.</param>
/// <param name="Drift">Applied migrations that differ from the code.</param>
public sealed record StatusReport(
    string Project,
    DatabaseState State,
    string? LatestVersion,
    MigrationPlan? Pending,
    string? PendingProblem,
    IReadOnlyList<DriftEntry> Drift)
{
    /// <summary>What failed or interrupted steps left unusable (see <see cref="IDatabaseSession.FindLeftoversAsync"/>).</summary>
    public IReadOnlyList<string> Leftovers { get; init; } = [];
}
