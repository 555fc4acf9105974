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

    /// <summary>One <c>db.ExecuteAsync</c> call per SQL text; <c>" ;; "</c> separates the calls.</summary>
    public static string Calls(string sql) =>
        string.Join("\n", sql.Split(" ;; ").Select(one => $"await db.ExecuteAsync(\"{one}\", ct);"));

    /// <summary>An upgrade migration whose Up makes one call per SQL text (see <see cref="Calls"/>).</summary>
    public static string UpCalls(string sql, string attributes = "", string migration = "[Migration(\"1.1.0\", 1)]") => Up(Calls(sql), attributes, migration);

    /// <summary>An upgrade migration whose Down makes the calls, with an Up that sends nothing.</summary>
    public static string DownCalls(string sql) => $$"""
        [Migration("1.1.0", 1)]
        public sealed class AddOrders : PostgresMigration
        {
            public override Task Up(PostgresContext db, CancellationToken ct) => Task.CompletedTask;

            public override async Task Down(PostgresContext db, CancellationToken ct)
            {
                {{Calls(sql)}}
            }
        }
        """;

    public const string NonTransactional = "[NonTransactional(\"runs each statement on its own\")]";

    public const string NewInstall = "[Migration(\"1.0.0\", 1, Path = MigrationPath.NewInstall)]";
}
