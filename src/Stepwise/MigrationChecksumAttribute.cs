using System.ComponentModel;

namespace Stepwise;

/// <summary>
/// The checksum of a migration's source, emitted at build time by the Stepwise generator. Not written by hand.
/// </summary>
/// <remarks>
/// The checksum covers the migration class's tokens without whitespace and comments, so reformatting keeps it,
/// while any change to SQL, logic or attributes changes it. It is computed at build time so that the runner never
/// has to execute or decompile a migration to detect drift.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class MigrationChecksumAttribute : Attribute
{
    /// <summary>Records the checksum of a migration.</summary>
    public MigrationChecksumAttribute(Type migration, string checksum)
    {
        Migration = migration;
        Checksum = checksum;
    }

    /// <summary>The migration class.</summary>
    public Type Migration { get; }

    /// <summary>The hexadecimal SHA-256 of the class's normalized source.</summary>
    public string Checksum { get; }
}
