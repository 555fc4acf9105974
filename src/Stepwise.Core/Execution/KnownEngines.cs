namespace Stepwise.Execution;

/// <summary>
/// The database types Stepwise has an engine for, and the package that brings each: what <c>spec.databases</c> and
/// <c>--database-type</c> accept, and what to add when a runner lacks one.
/// </summary>
public static class KnownEngines
{
    private static readonly (string Type, string Package)[] Engines = [("postgresql", "Stepwise.PostgreSql"), ("mongodb", "Stepwise.MongoDb")];

    /// <summary>The database types, as <c>--database-type</c> and <c>spec.databases.*.type</c> spell them.</summary>
    public static IReadOnlyList<string> Types { get; } = Engines.Select(static e => e.Type).ToArray();

    /// <summary>The package that brings the engine of <paramref name="type"/>; <c>null</c> for a type Stepwise has no engine for.</summary>
    public static string? PackageOf(string type) => Array.Find(Engines, e => e.Type == type).Package;
}
