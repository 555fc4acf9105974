using System.Collections.Generic;

namespace Stepwise.Analyzers.Sql;

/// <summary>
/// What the rules need to know about the migration and the method (Up or Down) a command belongs to: its attributes, what
/// the method's SQL does as a whole (<see cref="SqlSurvey"/>), and what its statements read so far have set up.
/// </summary>
internal sealed class MigrationSqlContext
{
    private readonly SqlSurvey _survey;

    public MigrationSqlContext(
        string migrationName, bool isNonTransactional, bool isNewInstall, bool isDestructiveJustified, bool hasLockTimeoutPolicy, bool inDown,
        SqlSurvey survey, HashSet<string> renamedInUp)
    {
        MigrationName = migrationName;
        IsNonTransactional = isNonTransactional;
        IsNewInstall = isNewInstall;
        IsDestructiveJustified = isDestructiveJustified;
        LockTimeoutInForce = hasLockTimeoutPolicy;
        InDown = inDown;
        _survey = survey;
        RenamedInUp = renamedInUp;
    }

    public string MigrationName { get; }

    public bool IsNonTransactional { get; }

    /// <summary>New-install migrations build an empty database no application uses yet: lock and compatibility rules do not apply.</summary>
    public bool IsNewInstall { get; }

    public bool IsDestructiveJustified { get; }

    /// <summary>The SQL is Down's: it reverts what Up did.</summary>
    public bool InDown { get; }

    /// <summary>Tables, materialized views and domains the same method creates (unqualified names): empty and unused, so they are exempt from lock rules.</summary>
    public HashSet<string> CreatedTables => _survey.Created;

    /// <summary>The tables Up creates: in Down, dropping one of them only undoes Up.</summary>
    public HashSet<string> CreatedInUp { get; set; } = new(System.StringComparer.Ordinal);

    /// <summary>Tables the same method alters.</summary>
    public HashSet<string> AlteredTables => _survey.Altered;

    /// <summary>The tables and columns Up renames (<c>kind:from-&gt;to</c>), shared with Down's checks.</summary>
    public HashSet<string> RenamedInUp { get; }

    /// <summary>The place of the statement being read among the method's statements, in the order they are sent.</summary>
    public int Ordinal { get; set; }

    /// <summary>A lock_timeout is in force: the project's policy sets one, or an earlier statement did.</summary>
    public bool LockTimeoutInForce { get; set; }

    /// <summary>The missing lock_timeout has been reported once for this method.</summary>
    public bool LockTimeoutReported { get; set; }

    /// <summary>An earlier statement set the session's time zone to UTC.</summary>
    public bool UtcSession { get; set; }

    /// <summary>Constraints an earlier statement added NOT VALID.</summary>
    public HashSet<string> NotValidConstraints { get; } = new(System.StringComparer.Ordinal);

    /// <summary>Enum values earlier statements added (value → type).</summary>
    public Dictionary<string, string> AddedEnumValues { get; } = new(System.StringComparer.Ordinal);

    /// <summary>What the method's statements read so far did to columns and their types, in order (see <see cref="ColumnHistory"/>).</summary>
    public List<ColumnChange> Columns { get; } = new();

    /// <summary>Indexes an earlier statement dropped with DROP INDEX CONCURRENTLY IF EXISTS.</summary>
    public HashSet<string> IndexesDroppedFirst { get; } = new(System.StringComparer.Ordinal);

    /// <summary>Whether a later statement of the method enables the trigger <paramref name="key"/> (<c>table:name</c>) again.</summary>
    public bool EnabledLater(string key) => _survey.LastEnabled.TryGetValue(key, out var at) && at > Ordinal;

    /// <summary>Whether a later statement of the method enables (<c>ENABLE</c>) or forces (<c>FORCE</c>) row security on <paramref name="table"/> again.</summary>
    public bool RowSecurityLater(string table, string how) => _survey.LastRowSecurity.TryGetValue(table + ":" + how, out var at) && at > Ordinal;

    /// <summary>
    /// Whether a later statement of the method gives the function <paramref name="key"/> (<c>name/arity</c>) a
    /// search_path, naming it with its argument count or by its name alone.
    /// </summary>
    public bool SearchPathLater(string key) =>
        (_survey.LastSearchPath.TryGetValue(key, out var at) && at > Ordinal) ||
        (_survey.LastSearchPath.TryGetValue(key.Split('/')[0], out var byName) && byName > Ordinal);

    /// <summary>Whether a later statement of the method resets the setting <paramref name="name"/> (or all settings).</summary>
    public bool ResetLater(string name) =>
        (_survey.LastReset.TryGetValue(name, out var at) && at > Ordinal) || (_survey.LastReset.TryGetValue(SqlSurvey.All, out var all) && all > Ordinal);
}
