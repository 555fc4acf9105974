using System.Security.Cryptography;
using System.Text;

namespace Stepwise.PostgreSql.Internal;

/// <summary>
/// Where backups go: schema <c>stepwise_backup_{project}_{version}</c> (non-alphanumerics as '_'), one per project
/// version, so that dropping a version's backups is dropping one schema.
/// </summary>
internal static class BackupNames
{
    private const int MaxIdentifier = 63;

    public static string Schema(string project, string version)
    {
        var name = "stepwise_backup_" + Slug(project) + "_" + Slug(version);
        if (name.Length <= MaxIdentifier)
        {
            return name;
        }

        // PostgreSQL truncates longer identifiers; keep them distinct with a hash of the full name.
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..8];
        return name[..(MaxIdentifier - 9)] + "_" + hash;
    }

    public static string Table(string schema, string table) => schema == "public" ? table : $"{schema}_{table}";

    private static string Slug(string text) => new(text.Select(static c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '_').ToArray());
}
