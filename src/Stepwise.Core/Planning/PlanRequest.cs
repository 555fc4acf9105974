using Stepwise.Versioning;

namespace Stepwise.Planning;

/// <summary>What the planner is asked for.</summary>
/// <param name="Operation">Install, upgrade or rollback.</param>
/// <param name="Target">The version to reach; <c>null</c> means the newest known version (install and upgrade only).</param>
/// <param name="ExpectedCurrent">The version the caller asserts the database is at (<c>--from-version</c>), if any.</param>
public sealed record PlanRequest(Operation Operation, ProjectVersion? Target = null, ProjectVersion? ExpectedCurrent = null)
{
    /// <summary>
    /// Leave the target version's post-upgrade migrations (cleanups once the new release runs) to a later run: the
    /// version is recorded as reached without them, and the next install, upgrade or migrate to it runs them.
    /// </summary>
    public bool DeferPostUpgrade { get; init; }
}
