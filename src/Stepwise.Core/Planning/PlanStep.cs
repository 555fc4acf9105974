using Stepwise.Catalog;
using Stepwise.Versioning;

namespace Stepwise.Planning;

/// <summary>One migration run in one direction.</summary>
/// <param name="Migration">The migration.</param>
/// <param name="Direction">Up (apply) or down (roll back).</param>
/// <param name="VersionAfter">The project version recorded once this step commits, when it completes a version.</param>
public sealed record PlanStep(MigrationDescriptor Migration, MigrationDirection Direction, ProjectVersion? VersionAfter);
