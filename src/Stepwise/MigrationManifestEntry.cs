using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;

namespace Stepwise;

/// <summary>One migration as the build saw it. Written by the Stepwise generator, not by hand.</summary>
/// <remarks>
/// The attributes' arguments are constructor arguments rather than attribute objects in the generated code: a
/// framework-dependent runner compiles the manifest when it first reads it, and plain arguments compile several times
/// faster than an object and an array per migration.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class MigrationManifestEntry
{
    /// <summary>Records a migration whose attributes the build could not read (an argument that is not a literal).</summary>
    /// <param name="migration">The migration class.</param>
    /// <param name="checksum">The hexadecimal SHA-256 of the class's normalized source.</param>
    /// <param name="declaredOverrides">Which of <c>Down</c>, <c>PreCheck</c> and <c>Validate</c> the class declares, separated by spaces.</param>
    public MigrationManifestEntry([DynamicallyAccessedMembers(ReadByRunner)] Type migration, string checksum, string declaredOverrides)
    {
        Migration = migration;
        Checksum = checksum;
        DeclaredOverrides = declaredOverrides;
    }

    /// <summary>Records a migration with the arguments of its Stepwise attributes, read from its source.</summary>
    /// <param name="migration">The migration class.</param>
    /// <param name="checksum">The hexadecimal SHA-256 of the class's normalized source.</param>
    /// <param name="declaredOverrides">Which of <c>Down</c>, <c>PreCheck</c> and <c>Validate</c> the class declares, separated by spaces.</param>
    /// <param name="version">The <see cref="MigrationAttribute"/>'s version.</param>
    /// <param name="order">Its order.</param>
    /// <param name="description">Its <see cref="MigrationAttribute.Description"/>.</param>
    /// <param name="path">Its <see cref="MigrationAttribute.Path"/>.</param>
    /// <param name="from">Its <see cref="MigrationAttribute.From"/>.</param>
    /// <param name="phase">Its <see cref="MigrationAttribute.Phase"/>.</param>
    /// <param name="nonTransactional">The reason of the class's <see cref="NonTransactionalAttribute"/>; <c>null</c> without one.</param>
    /// <param name="irreversible">The reason of the class's <see cref="IrreversibleAttribute"/>; <c>null</c> without one.</param>
    /// <param name="changes">The objects of the class's <see cref="ChangesAttribute"/>; <c>null</c> without one.</param>
    public MigrationManifestEntry(
        [DynamicallyAccessedMembers(ReadByRunner)] Type migration, string checksum, string declaredOverrides,
        string? version, int order, string? description = null, MigrationPath path = default, string? from = null, MigrationPhase phase = default,
        string? nonTransactional = null, string? irreversible = null, string[]? changes = null)
        : this(migration, checksum, declaredOverrides)
    {
        var attributes = new List<Attribute>(1)
        {
            new MigrationAttribute(version!, order) { Description = description, Path = path, From = from, Phase = phase },
        };
        if (nonTransactional is not null)
        {
            attributes.Add(new NonTransactionalAttribute(nonTransactional));
        }

        if (irreversible is not null)
        {
            attributes.Add(new IrreversibleAttribute(irreversible));
        }

        if (changes is not null)
        {
            attributes.Add(new ChangesAttribute(changes));
        }

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
    /// <see cref="IrreversibleAttribute"/> and <see cref="ChangesAttribute"/> as its source declares them; <c>null</c>
    /// when the build could not read them, and the runner then reads them from the class.
    /// </summary>
    public IReadOnlyList<Attribute>? Attributes { get; }

    // The runner creates the migration (constructors) and checks which of Down, Validate and PreCheck it overrides
    // (public methods).
    private const DynamicallyAccessedMemberTypes ReadByRunner =
        DynamicallyAccessedMemberTypes.PublicConstructors | DynamicallyAccessedMemberTypes.PublicMethods;
}
