namespace Stepwise.Packaging.Tests;

/// <summary>
/// The packages a service team references, and the projects that produce them. The throwaway project references every
/// package listed here, so adding an engine package to the end-to-end check is one line.
/// </summary>
internal static class PackagesUnderTest
{
    public static readonly IReadOnlyList<(string Project, string PackageId)> All =
    [
        ("src/Stepwise/Stepwise.csproj", "Stepwise"),
    ];
}
