using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;

namespace Stepwise;

/// <summary>
/// The checksum of a migration's source, emitted at build time by the Stepwise generator. Not written by hand.
/// </summary>
/// <remarks>
/// The checksum covers the migration class's tokens without whitespace and comments, so reformatting keeps it,
/// while any change to SQL, logic or attributes changes it. It is computed at build time so that the runner never
/// has to execute or decompile a migration to detect drift. The attributes are also the assembly's list of migrations,
/// and they keep each class's constructors and methods in a trimmed or Native AOT runner.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class MigrationChecksumAttribute : Attribute
{
    /// <summary>Records the checksum of a migration.</summary>
    public MigrationChecksumAttribute([DynamicallyAccessedMembers(ReadByRunner)] Type migration, string checksum)
    {
        Migration = migration;
        Checksum = checksum;
    }

    /// <summary>The migration class.</summary>
    [DynamicallyAccessedMembers(ReadByRunner)]
    public Type Migration { get; }

    /// <summary>The hexadecimal SHA-256 of the class's normalized source.</summary>
    public string Checksum { get; }

    /// <summary>
    /// Which of <c>Down</c>, <c>Validate</c> and <c>PreCheck</c> the class's own declarations override, separated by
    /// spaces; <c>null</c> from a generator that did not record it. Read from source at build time, so that the runner
    /// need not look for the overrides by reflection when the class derives directly from its engine's base class.
    /// </summary>
    public string? DeclaredOverrides { get; set; }

    // The runner creates the migration (constructors) and checks which of Down, Validate and PreCheck it overrides
    // (public methods).
    private const DynamicallyAccessedMemberTypes ReadByRunner =
        DynamicallyAccessedMemberTypes.PublicConstructors | DynamicallyAccessedMemberTypes.PublicMethods;
}
