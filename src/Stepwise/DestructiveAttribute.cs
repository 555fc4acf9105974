namespace Stepwise;

/// <summary>
/// Declares that an upgrade migration deliberately destroys data or structure (drops a column or table, truncates),
/// and why. Without it the build warns about destructive SQL in upgrades.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class DestructiveAttribute : Attribute
{
    /// <summary>Declares the migration destructive.</summary>
    /// <param name="reason">Why the loss is intended and safe, e.g. "column unused since 1.4.0, data copied to orders_v2".</param>
    public DestructiveAttribute(string reason) => Reason = reason;

    /// <summary>Why the loss is intended.</summary>
    public string Reason { get; }
}
