using Stepwise.Catalog;

namespace Stepwise.Configuration;

/// <summary>Checks a project's configuration against its migrations: same project, same versions.</summary>
internal static class ProjectConfigValidator
{
    /// <summary>Every disagreement between the configuration and the migrations, as messages.</summary>
    public static IReadOnlyList<string> Problems(ProjectConfig config, ProjectCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(catalog);

        var problems = new List<string>();
        // A missing name is the reader's to report; a different one is this check's.
        if (config.Name.Length > 0 && !string.Equals(config.Name, catalog.Name, StringComparison.Ordinal))
        {
            problems.Add($"{config.Where("metadata.name")}: metadata.name is '{config.Name}' but the migrations belong to '{catalog.Name}' ([assembly: MigrationProject]); make them the same.");
        }

        if (config.Matrix is { } matrix)
        {
            foreach (var version in matrix.Versions.Where(v => !catalog.Knows(v)))
            {
                problems.Add($"{config.Where($"spec.compatibility_matrix.v{version}")}: spec.compatibility_matrix lists v{version}, but no migration declares it; remove the entry or add the version's migrations.");
            }

            foreach (var version in catalog.Versions.Where(v => !matrix.Contains(v)))
            {
                problems.Add($"{config.Where("spec.compatibility_matrix")}: migrations declare version {version}, but spec.compatibility_matrix has no entry for v{version}; add it with its upgrades_to and rollback_to.");
            }
        }

        return problems;
    }

    /// <summary>Throws a usage error listing every problem, if there is any.</summary>
    public static void Check(ProjectConfig config, ProjectCatalog catalog)
    {
        var problems = Problems(config, catalog);
        if (problems.Count > 0)
        {
            throw new StepwiseException(FailureKind.Usage,
                "The project configuration does not match the migrations:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(static p => "  - " + p)));
        }
    }
}
