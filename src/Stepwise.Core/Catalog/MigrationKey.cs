using Stepwise.Versioning;

namespace Stepwise.Catalog;

/// <summary>
/// The identity of a migration in history: <c>{version}/{path}[-from-{version}]/{phase}/{order}</c>, e.g.
/// <c>1.1.0/upgrade/schema-changes/1</c> or <c>2.0.0/upgrade-from-1.1.0/data-migration/2</c>.
/// </summary>
/// <remarks>Built from the attribute, not the class name, so renaming a class does not make it a new migration.</remarks>
public static class MigrationKey
{
    /// <summary>Formats the key of a migration.</summary>
    public static string Format(ProjectVersion version, MigrationPath path, ProjectVersion? from, MigrationPhase phase, int order)
    {
        var pathPart = from is null ? PathName(path) : $"{PathName(path)}-from-{from}";
        return $"{version}/{pathPart}/{PhaseName(phase)}/{order}";
    }

    /// <summary>The written name of a path: <c>upgrade</c> or <c>new-install</c>.</summary>
    public static string PathName(MigrationPath path) => path switch
    {
        MigrationPath.NewInstall => "new-install",
        _ => "upgrade",
    };

    /// <summary>The written name of a phase, as in the original layout (<c>schema-changes</c>, <c>post-upgrade</c>, ...).</summary>
    public static string PhaseName(MigrationPhase phase) => phase switch
    {
        MigrationPhase.Schema => "schema",
        MigrationPhase.Data => "data",
        MigrationPhase.Indexes => "indexes",
        MigrationPhase.PreUpgrade => "pre-upgrade",
        MigrationPhase.SchemaChanges => "schema-changes",
        MigrationPhase.DataMigration => "data-migration",
        MigrationPhase.PostUpgrade => "post-upgrade",
        _ => "default",
    };
}
