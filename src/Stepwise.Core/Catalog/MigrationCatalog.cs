namespace Stepwise.Catalog;

/// <summary>The migrations a runner knows, by project.</summary>
public sealed class MigrationCatalog
{
    /// <summary>Creates a catalog from per-project catalogs.</summary>
    /// <param name="projects">The projects whose migrations were read.</param>
    /// <param name="otherProjects">Projects known by name only (their assemblies were not scanned).</param>
    public MigrationCatalog(IEnumerable<ProjectCatalog> projects, IEnumerable<string>? otherProjects = null)
    {
        Projects = projects.ToDictionary(static p => p.Name, StringComparer.Ordinal);
        KnownProjects = Projects.Keys.Concat(otherProjects ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>Every project the runner knows, including those known by name only.</summary>
    public IReadOnlyList<string> KnownProjects { get; }

    /// <summary>The projects, by name.</summary>
    public IReadOnlyDictionary<string, ProjectCatalog> Projects { get; }

    /// <summary>
    /// The project to run: the one named, or the only one when none is named. Throws a usage error naming the
    /// known projects otherwise.
    /// </summary>
    public ProjectCatalog Resolve(string? project)
    {
        if (KnownProjects.Count == 0)
        {
            throw new StepwiseException(FailureKind.Usage,
                "No migrations found: no loaded assembly carries [assembly: MigrationProject(\"name\")] with [Migration] classes.");
        }

        if (project is null)
        {
            return KnownProjects.Count == 1 && Projects.Count == 1
                ? Projects.Values.First()
                : throw new StepwiseException(FailureKind.Usage,
                    $"Several projects are known ({KnownList()}); choose one with --project.");
        }

        if (!Projects.TryGetValue(project, out var found) && KnownProjects.Contains(project, StringComparer.Ordinal))
        {
            throw new StepwiseException(FailureKind.Usage, $"Project '{EchoedInput.Show(project)}' has no [Migration] classes in its assemblies.");
        }

        return found is not null
            ? found
            : throw new StepwiseException(FailureKind.Usage,
                $"Unknown project '{EchoedInput.Show(project)}'. This runner knows: {KnownList()}. Check --project or the assemblies given to the runner.");
    }

    private string KnownList() => string.Join(", ", KnownProjects);
}
