namespace Stepwise;

/// <summary>
/// Declares that a migration has no rollback, and why. The project's policy decides whether this is allowed.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class IrreversibleAttribute : Attribute
{
    /// <summary>Declares the migration irreversible.</summary>
    /// <param name="reason">Why there is no rollback; shown in plans and recorded in history.</param>
    public IrreversibleAttribute(string reason) => Reason = reason;

    /// <summary>Why there is no rollback.</summary>
    public string Reason { get; }
}
