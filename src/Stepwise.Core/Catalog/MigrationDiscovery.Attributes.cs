using System.Diagnostics.CodeAnalysis;
using Stepwise.Versioning;

namespace Stepwise.Catalog;

// A migration's attributes, and what discovery checks of them: where [Migration] places it, and the reasons that the
// other attributes must give.
public static partial class MigrationDiscovery
{
    // The Stepwise attributes of a migration. The build records them when their arguments are literals; reading them by
    // reflection cost most of discovery, and in a Native AOT runner most of its start. Only an unrecorded class is loaded.
    private static DeclaredAttributes AttributesOf(MigrationManifestEntry? entry, ref Type? type)
    {
        var declared = default(DeclaredAttributes);
        foreach (var found in entry?.Attributes ?? (IEnumerable<object>)(type ??= entry!.Migration).GetCustomAttributes(inherit: false))
        {
            declared = found switch
            {
                MigrationAttribute a => declared with { Migration = a },
                NonTransactionalAttribute n => declared with { NonTransactional = n },
                IrreversibleAttribute i => declared with { Irreversible = i },
                ChangesAttribute c => declared with { Changes = c },
                _ => declared,
            };
        }

        return declared;
    }

    private readonly record struct DeclaredAttributes(
        MigrationAttribute? Migration, NonTransactionalAttribute? NonTransactional, IrreversibleAttribute? Irreversible, ChangesAttribute? Changes);

    // Where [Migration] places the migration: its version, the version an upgrade must come from, and its phase; each
    // problem added to errors.
    private static (ProjectVersion? Version, ProjectVersion? From, MigrationPhase? Phase) Placement(string name, MigrationAttribute attribute,
        Dictionary<string, ProjectVersion> versions, List<string> errors)
    {
        if (!TryParseVersion(attribute.Version, versions, out var version, out var versionError))
        {
            errors.Add($"{name}: [Migration] version {versionError}.");
        }

        ProjectVersion? from = null;
        if (attribute.From is not null)
        {
            if (attribute.Path == MigrationPath.NewInstall)
            {
                errors.Add($"{name}: From is only meaningful for upgrade migrations; remove it or use Path = MigrationPath.Upgrade.");
            }
            else if (!TryParseVersion(attribute.From, versions, out from, out var fromError))
            {
                errors.Add($"{name}: [Migration] From {fromError}.");
            }
            else if (version is not null && from >= version)
            {
                errors.Add($"{name}: From ({from}) must be below the migration's version ({version}).");
            }
        }

        if (attribute.Order <= 0)
        {
            errors.Add($"{name}: [Migration] order must be 1 or more (got {attribute.Order}).");
        }

        var phase = ResolvePhase(attribute.Path, attribute.Phase);
        if (phase is null)
        {
            errors.Add($"{name}: phase {attribute.Phase} does not belong to the {MigrationKey.PathName(attribute.Path)} path " +
                "(new-install: Schema, Data, Indexes; upgrade: PreUpgrade, SchemaChanges, DataMigration, PostUpgrade).");
        }

        return (version, from, phase);
    }

    // The attributes that must say why, or what.
    private static void CheckReasons(string name, DeclaredAttributes declared, List<string> errors)
    {
        if (declared.NonTransactional is { } nonTransactional && string.IsNullOrWhiteSpace(nonTransactional.Reason))
        {
            errors.Add($"{name}: [NonTransactional] needs a reason.");
        }

        if (declared.Irreversible is { } irreversible && string.IsNullOrWhiteSpace(irreversible.Reason))
        {
            errors.Add($"{name}: [Irreversible] needs a reason.");
        }

        if (declared.Changes is { } changes && (changes.Objects.Count == 0 || changes.Objects.Any(string.IsNullOrWhiteSpace)))
        {
            errors.Add($"{name}: [Changes] needs the names of the tables the migration changes.");
        }
    }

    // A release holds several migrations: each version string is parsed once, and its migrations share one instance.
    private static bool TryParseVersion(string? text, Dictionary<string, ProjectVersion> parsed, [NotNullWhen(true)] out ProjectVersion? version,
        [NotNullWhen(false)] out string? error)
    {
        if (text is not null && parsed.TryGetValue(text, out version))
        {
            error = null;
            return true;
        }

        if (!ProjectVersion.TryParse(text, out version, out error))
        {
            return false;
        }

        parsed[text!] = version;
        return true;
    }

    private static MigrationPhase? ResolvePhase(MigrationPath path, MigrationPhase phase) =>
        Rules.SharedRules.ResolvePhase(path == MigrationPath.NewInstall, phase.ToString()) is { } resolved ? Enum.Parse<MigrationPhase>(resolved) : null;
}
