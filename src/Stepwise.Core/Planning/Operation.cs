namespace Stepwise.Planning;

/// <summary>What a run is asked to do to the database.</summary>
public enum Operation
{
    /// <summary>Bring an empty database to the target version.</summary>
    Install,

    /// <summary>Move an installed database up to the target version.</summary>
    Upgrade,

    /// <summary>Move an installed database down to the target version.</summary>
    Rollback,
}
