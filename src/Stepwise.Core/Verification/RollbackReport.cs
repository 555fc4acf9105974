using Stepwise.Catalog;

namespace Stepwise.Verification;

/// <summary>What the rollback check found for one migration.</summary>
public enum RollbackVerdict
{
    /// <summary>Down restored the schema before Up, and Up after Down built the same schema again.</summary>
    Restored,

    /// <summary>After Down, the schema differs from the one before Up.</summary>
    NotRestored,

    /// <summary>Down restored the schema, but Up run again after it built a different one.</summary>
    NotRepeatable,

    /// <summary>Up failed on the scratch database; its rollback could not be checked.</summary>
    UpFailed,

    /// <summary>Down failed, or its PreCheck did not pass after it.</summary>
    DownFailed,

    /// <summary>The migration declares it cannot be rolled back.</summary>
    Irreversible,
}

/// <summary>One migration's check.</summary>
/// <param name="Route">The route it was checked on.</param>
/// <param name="Migration">The migration.</param>
/// <param name="Verdict">What was found.</param>
/// <param name="Difference">The difference behind <see cref="RollbackVerdict.NotRestored"/> or <see cref="RollbackVerdict.NotRepeatable"/>.</param>
/// <param name="Message">What failed, or why it was not checked.</param>
public sealed record RollbackCheck(string Route, MigrationDescriptor Migration, RollbackVerdict Verdict, SchemaDifference? Difference, string? Message)
{
    /// <summary>Whether the migration's rollback is sound (restored, or declared irreversible).</summary>
    public bool Passed => Verdict is RollbackVerdict.Restored or RollbackVerdict.Irreversible;
}

/// <summary>What the rollback check of a project found.</summary>
/// <param name="Project">The project.</param>
/// <param name="Target">The version it checked up to.</param>
/// <param name="Routes">The routes it walked.</param>
/// <param name="Checks">One per migration, in the order they ran.</param>
public sealed record RollbackReport(string Project, string Target, IReadOnlyList<string> Routes, IReadOnlyList<RollbackCheck> Checks)
{
    /// <summary>Whether every migration's rollback restores the schema.</summary>
    public bool Passed => Checks.All(static c => c.Passed);

    /// <summary>Whether a failure is a rollback's (rather than an Up that failed on an empty database).</summary>
    public bool RollbackProblem => Checks.Any(static c => c.Verdict is RollbackVerdict.NotRestored or RollbackVerdict.NotRepeatable or RollbackVerdict.DownFailed);
}
