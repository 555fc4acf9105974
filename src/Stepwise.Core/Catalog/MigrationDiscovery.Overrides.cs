using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace Stepwise.Catalog;

// Whether a migration has its own Down and Validate: from what the generator recorded when it can settle it, else from
// the class and its base classes.
public static partial class MigrationDiscovery
{
    // A migration without its own Down inherits the base class's, which throws: it cannot be rolled back. Likewise an
    // inherited Validate proves nothing. The generator records what the class itself declares: a method it overrides
    // settles it without loading the class, and so does one it lacks when its base class supplies neither method (the
    // engines' base classes never do).
    private static bool Overrides(ref Type? type, MigrationManifestEntry? entry, string method, string? declared)
    {
        if (Declares(declared, method))
        {
            return true;
        }

        type ??= entry!.Migration;
        if (declared is not null && type.BaseType is { } parent && InheritsNoChecks(parent))
        {
            return false;
        }

        return OverridesByReflection(type, method);
    }

    private static bool Declares(string? declared, string what) => declared is not null && declared.Split(' ').Contains(what, StringComparer.Ordinal);

    // Asked once per base class: with 10,000 migrations on one engine, once in all.
    private static bool InheritsNoChecks(Type parent) =>
        BaseClassesWithoutChecks.GetOrAdd(parent, static p => !OverridesByReflection(p, "Down") && !OverridesByReflection(p, "Validate"));

    private static readonly ConcurrentDictionary<Type, bool> BaseClassesWithoutChecks = new();

    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = ManifestKeepsMembers)]
    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = ManifestKeepsMembers)]
    private static bool OverridesByReflection(Type type, string method)
    {
        for (var current = type; current is not null && current != typeof(object); current = current.BaseType)
        {
            if (current.IsGenericType && current.GetGenericTypeDefinition() == typeof(Migration<>))
            {
                return false;
            }

            var declared = current.GetMethod(method, BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly);
            if (declared is not null && declared.GetBaseDefinition().DeclaringType != declared.DeclaringType)
            {
                return true;
            }
        }

        return false;
    }
}
