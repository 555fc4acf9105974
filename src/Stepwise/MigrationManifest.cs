using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Stepwise;

/// <summary>
/// The list of an assembly's migrations, written at build time by the Stepwise generator. Not written by hand.
/// </summary>
/// <remarks>
/// <para>
/// The runner reads the migrations from here instead of scanning the assembly and reading each class's attributes.
/// What the runner plans with (names, checksums, declared checks, the attributes' arguments) is one string, so reading
/// a manifest compiles nothing per migration and loads no migration class; a class is loaded when the runner first
/// needs it, through <see cref="Resolve"/>, whose <c>typeof</c> list also tells a Native AOT build which classes to keep.
/// </para>
/// <para>
/// The string holds one record per migration, separated by U+001E; a record's fields are separated by U+001F: the
/// class's full name, its checksum and what it declares (<see cref="MigrationManifestEntry.DeclaredOverrides"/>),
/// then, when the build could read its attributes, the <see cref="MigrationAttribute"/>'s version, order,
/// description, path, from-version and phase, the reasons of <see cref="NonTransactionalAttribute"/> and
/// <see cref="IrreversibleAttribute"/>, and the objects of <see cref="ChangesAttribute"/>, each ended by U+001D. A
/// field that is U+0000 alone is absent (null); a path or phase is a member name, empty for the default. The generator leaves a class's attributes to reflection when any of their
/// values holds one of these characters.
/// </para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class MigrationManifest
{
    internal const char RecordSeparator = '\u001e';
    internal const char FieldSeparator = '\u001f';
    internal const char ItemTerminator = '\u001d';
    internal const string Absent = "\0";

    private readonly string _records;
    private IReadOnlyList<MigrationManifestEntry>? _migrations;

    /// <summary>Creates the manifest from the records the generator wrote.</summary>
    /// <param name="records">The migrations, in the format described on <see cref="MigrationManifest"/>.</param>
    protected MigrationManifest(string records) => _records = records ?? throw new ArgumentNullException(nameof(records));

    /// <summary>The assembly's migrations, ordered by full name.</summary>
    /// <exception cref="FormatException">The records are not in the generator's format.</exception>
    public IReadOnlyList<MigrationManifestEntry> Migrations => _migrations ??= Parse();

    /// <summary>The class of the migration at <paramref name="index"/> in <see cref="Migrations"/>.</summary>
    [return: DynamicallyAccessedMembers(MigrationManifestEntry.ReadByRunner)]
    public abstract Type Resolve(int index);

    private MigrationManifestEntry[] Parse()
    {
        if (_records.Length == 0)
        {
            return [];
        }

        var records = _records.Split(RecordSeparator);
        var entries = new MigrationManifestEntry[records.Length];
        for (var i = 0; i < records.Length; i++)
        {
            var fields = records[i].Split(FieldSeparator);
            if (fields.Length is not (3 or 12))
            {
                throw new FormatException($"Migration manifest record {i} has {fields.Length} fields; the generator writes 3 or 12.");
            }

            entries[i] = new MigrationManifestEntry(this, i, fields[0], fields[1], fields[2], fields.Length == 3 ? null : Attributes(fields));
        }

        return entries;
    }

    private static List<Attribute> Attributes(string[] fields)
    {
        var migration = new MigrationAttribute(OrNull(fields[3])!, int.Parse(fields[4], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture))
        {
            Description = OrNull(fields[5]),
            Path = Member<MigrationPath>(fields[6]),
            From = OrNull(fields[7]),
            Phase = Member<MigrationPhase>(fields[8]),
        };
        var attributes = new List<Attribute>(1) { migration };
        if (OrNull(fields[9]) is { } nonTransactional)
        {
            attributes.Add(new NonTransactionalAttribute(nonTransactional));
        }

        if (OrNull(fields[10]) is { } irreversible)
        {
            attributes.Add(new IrreversibleAttribute(irreversible));
        }

        if (OrNull(fields[11]) is { } changes)
        {
            attributes.Add(new ChangesAttribute(changes.Length == 0 ? [] : changes[..^1].Split(ItemTerminator)));
        }

        return attributes;
    }

    private static string? OrNull(string field) => field == Absent ? null : field;

    private static T Member<T>(string name)
        where T : struct, Enum =>
        name.Length == 0 ? default : Enum.Parse<T>(name, ignoreCase: false);
}
