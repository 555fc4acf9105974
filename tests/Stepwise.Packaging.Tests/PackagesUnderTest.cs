namespace Stepwise.Packaging.Tests;

/// <summary>
/// What the end-to-end check packs and what the throwaway project references. A service team references its engine
/// package and the runner host; the core and the contract (which carries the analyzers and the generator) come with
/// them transitively, and the host finds the engine with no code: exactly what must keep working.
/// </summary>
internal static class PackagesUnderTest
{
    /// <summary>The packages packed into the test feed: every package of the solution.</summary>
    public const string Solution = "Framework.sln";

    /// <summary>The packages the throwaway project references.</summary>
    public static readonly string[] Referenced = ["Stepwise.PostgreSql", "Stepwise.Hosting"];
}
