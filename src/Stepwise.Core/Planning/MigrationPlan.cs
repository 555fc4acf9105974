using Stepwise.Versioning;

namespace Stepwise.Planning;

/// <summary>The steps that take a project from its current version to the target, in the order they run.</summary>
/// <param name="Operation">What the plan does.</param>
/// <param name="Project">The project.</param>
/// <param name="From">The version the database is at; <c>null</c> when nothing is installed yet.</param>
/// <param name="Target">The version the plan reaches; <c>null</c> for a rollback that undoes an install stopped part-way.</param>
/// <param name="Steps">The steps, in order.</param>
/// <param name="Route">The versions the plan passes through, from the starting version (or the new-install base) to the target.</param>
public sealed record MigrationPlan(
    Operation Operation, string Project, ProjectVersion? From, ProjectVersion? Target, IReadOnlyList<PlanStep> Steps, IReadOnlyList<ProjectVersion> Route)
{
    /// <summary>Whether the database is already where it should be.</summary>
    public bool NothingToDo => Steps.Count == 0 && From == Target;
}
