namespace Stepwise.Analyzers.Tests.PostgreSql;

/// <summary>Wraps statements of an Up body in a migration class, so each test shows only the SQL it is about.</summary>
internal static class SqlMigration
{
    public static string Up(string body, string attributes = "", string migration = "[Migration(\"1.1.0\", 1)]") => $$"""
        {{migration}}
        {{attributes}}
        public sealed class AddOrders : PostgresMigration
        {
            public override async Task Up(PostgresContext db, CancellationToken ct)
            {
                {{body}}
            }
        }
        """;

    public const string NewInstall = "[Migration(\"1.0.0\", 1, Path = MigrationPath.NewInstall)]";
}
