namespace Stepwise;

/// <summary>Which way a step moves the database.</summary>
public enum MigrationDirection
{
    /// <summary>Applies the migration (<c>Up</c>).</summary>
    Up = 0,

    /// <summary>Rolls the migration back (<c>Down</c>).</summary>
    Down = 1,
}
