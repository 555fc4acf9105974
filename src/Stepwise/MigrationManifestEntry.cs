using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;

namespace Stepwise;

/// <summary>One migration as the build saw it, read from its <see cref="MigrationManifest"/>. Not created by hand.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class MigrationManifestEntry
{
    private readonly MigrationManifest _manifest;
    private readonly int _index;

    [DynamicallyAccessedMembers(ReadByRunner)]
    private Type? _migration;

    internal MigrationManifestEntry(MigrationManifest manifest, int index, string fullName, string checksum, string declaredOverrides,
        IReadOnlyList<Attribute>? attributes)
    {
        _manifest = manifest;
        _index = index;
        FullName = fullName;
        Checksum = checksum;
        DeclaredOverrides = declaredOverrides;
        Attributes = attributes;
    }

    /// <summary>The class's full name as <see cref="Type.FullName"/> gives it, known without loading the class.</summary>
    public string FullName { get; }

    /// <summary>The migration class, loaded on first use.</summary>
    [DynamicallyAccessedMembers(ReadByRunner)]
    public Type Migration => _migration ??= _manifest.Resolve(_index);

    /// <summary>
    /// The hexadecimal SHA-256 of the class's source without whitespace and comments: reformatting keeps it, any change
    /// to SQL, logic or attributes changes it, and the runner never has to run or decompile a migration to see drift.
    /// </summary>
    public string Checksum { get; }

    /// <summary>
    /// Which of <c>Down</c>, <c>PreCheck</c> and <c>Validate</c> the class's own declarations override, separated by
    /// spaces, so that the runner need not look for them by reflection; and <c>OneStatementUp</c> when its <c>Up</c> only
    /// hands one statement of fixed text to the context.
    /// </summary>
    public string DeclaredOverrides { get; }

    /// <summary>
    /// The class's <see cref="MigrationAttribute"/>, <see cref="NonTransactionalAttribute"/>,
    /// <see cref="IrreversibleAttribute"/> and <see cref="ChangesAttribute"/> as its source declares them; <c>null</c>
    /// when the build could not read them, and the runner then reads them from the class.
    /// </summary>
    public IReadOnlyList<Attribute>? Attributes { get; }

    // The runner creates the migration (constructors) and checks which of Down, Validate and PreCheck it overrides
    // (public methods).
    internal const DynamicallyAccessedMemberTypes ReadByRunner =
        DynamicallyAccessedMemberTypes.PublicConstructors | DynamicallyAccessedMemberTypes.PublicMethods;
}
