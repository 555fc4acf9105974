namespace Stepwise.Testing;

/// <summary>Where the repository is, for tests that read its files or run what it builds. Linked into each test project.</summary>
internal static class RepositoryLayout
{
    /// <summary>The folder holding Framework.sln, found above the test's output folder.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Framework.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (with Framework.sln) was not found above " + AppContext.BaseDirectory);
    }
}
