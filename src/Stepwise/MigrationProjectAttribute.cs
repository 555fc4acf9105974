namespace Stepwise;

/// <summary>
/// Marks an assembly as holding the migrations of one project (one service's database schema).
/// Only assemblies carrying this attribute are scanned for migrations.
/// </summary>
/// <remarks>
/// Project names are lower-case words separated by one '-', '_' or '.', at most 63 characters, e.g. <c>e-commerce-api</c>.
/// The name keys the project's version, history and lock in the database, so it must never change.
/// </remarks>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false)]
public sealed class MigrationProjectAttribute : Attribute
{
    /// <summary>Declares the project the assembly's migrations belong to.</summary>
    /// <param name="name">The project name, e.g. <c>e-commerce-api</c>.</param>
    public MigrationProjectAttribute(string name) => Name = name;

    /// <summary>The project name.</summary>
    public string Name { get; }
}
