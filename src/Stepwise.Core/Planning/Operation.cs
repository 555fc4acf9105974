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

    /// <summary>
    /// Bring the database to the target version whatever it holds: install when nothing is installed (or an install
    /// stopped part-way), upgrade otherwise; never down. What a deployment hook runs, for a first release and every later one.
    /// The plan it makes is an install or an upgrade.
    /// </summary>
    Migrate,
}
