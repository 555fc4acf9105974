using System.ComponentModel;

namespace Stepwise;

/// <summary>
/// The list of an assembly's migrations, written at build time by the Stepwise generator. Not written by hand.
/// </summary>
/// <remarks>
/// The runner reads the migrations from here instead of scanning the assembly and reading each class's attributes:
/// the list is code, so naming a class costs no lookup by name, and a Native AOT runner keeps exactly the classes it
/// names.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class MigrationManifest
{
    /// <summary>The assembly's migrations, ordered by full name.</summary>
    public abstract IReadOnlyList<MigrationManifestEntry> Migrations { get; }
}
