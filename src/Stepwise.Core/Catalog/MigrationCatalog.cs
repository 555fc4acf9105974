namespace Stepwise.Catalog;

/// <summary>The migrations a runner knows, by project.</summary>
public sealed class MigrationCatalog
{
    /// <summary>Creates a catalog from per-project catalogs.</summary>
    public MigrationCatalog(IEnumerable<ProjectCatalog> projects) =>
        Projects = projects.ToDictionary(static p => p.Name, StringComparer.Ordinal);

    /// <summary>The projects, by name.</summary>
    public IReadOnlyDictionary<string, ProjectCatalog> Projects { get; }

    /// <summary>
    /// The project to run: the one named, or the only one when none is named. Throws a usage error naming the
    /// known projects otherwise.
    /// </summary>
    public ProjectCatalog Resolve(string? project)
    {
        if (Projects.Count == 0)
        {
            throw new StepwiseException(FailureKind.Usage,
                "No migrations found: no loaded assembly carries [assembly: MigrationProject(\"name\")] with [Migration] classes.");
        }

        if (project is null)
        {
            return Projects.Count == 1
                ? Projects.Values.First()
                : throw new StepwiseException(FailureKind.Usage,
                    $"Several projects are known ({KnownList()}); choose one with --project.");
        }

        return Projects.TryGetValue(project, out var found)
            ? found
            : throw new StepwiseException(FailureKind.Usage,
                $"Unknown project '{project}'. This runner knows: {KnownList()}. Check --project or the assemblies given to the runner.");
    }

    private string KnownList() => string.Join(", ", Projects.Keys.Order(StringComparer.Ordinal));
}
