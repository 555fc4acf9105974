namespace Stepwise;

/// <summary>
/// Declares the existing tables (or collections) a migration changes. Under the project's <c>backup_before_upgrade</c>
/// policy the runner copies them before the step (on PostgreSQL into a backup schema, on MongoDB into backup collections),
/// where the migration's <c>Down</c> can find them.
/// </summary>
/// <example><c>[Changes("orders", "audit.order_events")]</c></example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ChangesAttribute : Attribute
{
    /// <summary>Declares what the migration changes.</summary>
    /// <param name="objects">Table (or collection) names, optionally schema-qualified.</param>
    public ChangesAttribute(params string[] objects) => Objects = objects;

    /// <summary>The tables (or collections) the migration changes.</summary>
    public IReadOnlyList<string> Objects { get; }
}
