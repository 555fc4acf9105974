namespace Stepwise.Catalog;

/// <summary>What makes a class a migration, and how a catalog that breaks the rules is reported.</summary>
internal static class MigrationClassRules
{
    public static bool IsConcreteMigration(Type type) => !type.IsAbstract && typeof(IMigration).IsAssignableFrom(type);

    public static string NotAMigration(string name) => $"{name} is not a concrete migration class with [Migration].";

    public static StepwiseException Malformed(IEnumerable<string> errors) =>
        new(FailureKind.Catalog,
            "The migrations are malformed:" + Environment.NewLine +
            string.Join(Environment.NewLine, errors.Order(StringComparer.Ordinal).Select(static e => "  - " + e)));
}
