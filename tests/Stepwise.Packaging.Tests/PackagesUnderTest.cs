namespace Stepwise.Packaging.Tests;

/// <summary>
/// What the end-to-end check packs and what the throwaway project references. A service team references its runner
/// host package alone; the engine, the core and the contract (which carries the analyzers and the generator) come
/// with it transitively, which is exactly what must keep working.
/// </summary>
internal static class PackagesUnderTest
{
    /// <summary>The packages packed into the test feed: every package of the solution.</summary>
    public const string Solution = "Framework.sln";

    /// <summary>The one package the throwaway project references.</summary>
    public const string Referenced = "Stepwise.Hosting";
}
