namespace Stepwise;

/// <summary>
/// Runs a migration outside a transaction, e.g. for <c>CREATE INDEX CONCURRENTLY</c>, which PostgreSQL refuses inside one.
/// </summary>
/// <remarks>
/// If such a migration fails, its changes may be partial: the runner records the failure and refuses to continue
/// until it is rolled back or repaired.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class NonTransactionalAttribute : Attribute
{
    /// <summary>Declares the migration non-transactional.</summary>
    /// <param name="reason">Why it cannot run in a transaction; shown in plans and recorded in history.</param>
    public NonTransactionalAttribute(string reason) => Reason = reason;

    /// <summary>Why the migration cannot run in a transaction.</summary>
    public string Reason { get; }
}
