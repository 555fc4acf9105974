using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;

namespace Stepwise;

/// <summary>One migration as the build saw it. Written by the Stepwise generator, not by hand.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class MigrationManifestEntry
{
    /// <summary>Records a migration.</summary>
    /// <param name="migration">The migration class.</param>
    /// <param name="checksum">The hexadecimal SHA-256 of the class's normalized source.</param>
    /// <param name="declaredOverrides">Which of <c>Down</c>, <c>PreCheck</c> and <c>Validate</c> the class declares, separated by spaces.</param>
    /// <param name="attributes">The class's Stepwise attributes as its source declares them, or <c>null</c> when the build could not read them.</param>
    public MigrationManifestEntry([DynamicallyAccessedMembers(ReadByRunner)] Type migration, string checksum, string declaredOverrides, Attribute[]? attributes)
    {
        Migration = migration;
        Checksum = checksum;
        DeclaredOverrides = declaredOverrides;
        Attributes = attributes;
    }

    /// <summary>The migration class.</summary>
    [DynamicallyAccessedMembers(ReadByRunner)]
    public Type Migration { get; }

    /// <summary>
    /// The hexadecimal SHA-256 of the class's source without whitespace and comments: reformatting keeps it, any change
    /// to SQL, logic or attributes changes it, and the runner never has to run or decompile a migration to see drift.
    /// </summary>
    public string Checksum { get; }

    /// <summary>
    /// Which of <c>Down</c>, <c>PreCheck</c> and <c>Validate</c> the class's own declarations override, separated by
    /// spaces, so that the runner need not look for them by reflection when the class derives directly from its
    /// engine's base class.
    /// </summary>
    public string DeclaredOverrides { get; }

    /// <summary>
    /// The class's <see cref="MigrationAttribute"/>, <see cref="NonTransactionalAttribute"/>,
    /// <see cref="IrreversibleAttribute"/> and <see cref="ChangesAttribute"/>, built from literal arguments in its
    /// source; <c>null</c> when an argument is not a literal (a constant defined elsewhere, say), and the runner then
    /// reads them from the class.
    /// </summary>
    public IReadOnlyList<Attribute>? Attributes { get; }

    // The runner creates the migration (constructors) and checks which of Down, Validate and PreCheck it overrides
    // (public methods).
    private const DynamicallyAccessedMemberTypes ReadByRunner =
        DynamicallyAccessedMemberTypes.PublicConstructors | DynamicallyAccessedMemberTypes.PublicMethods;
}
