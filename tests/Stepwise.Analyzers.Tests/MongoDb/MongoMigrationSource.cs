namespace Stepwise.Analyzers.Tests.MongoDb;

/// <summary>Wraps a body in a MongoDB migration, so each test shows only the code it is about.</summary>
internal static class MongoMigrationSource
{
    public const string Usings = """
        using MongoDB.Bson;
        using MongoDB.Driver;
        using Stepwise.MongoDb;

        """;

    public static string Up(string body, string attributes = "", string migration = "[Migration(\"1.1.0\", 1)]") => With("Up", body, attributes, migration);

    public static string Down(string body, string attributes = "") => With("Down", body, attributes, "[Migration(\"1.1.0\", 1)]");

    private static string With(string method, string body, string attributes, string migration) => $$"""
        {{Usings}}
        {{migration}}
        {{attributes}}
        public sealed class ArchiveCarts : MongoMigration
        {
            {{(method == "Up" ? "" : "public override Task Up(MongoContext db, CancellationToken ct) => Task.CompletedTask;")}}

            public override async Task {{method}}(MongoContext db, CancellationToken ct)
            {
                {{body}}
            }
        }
        """;

    public const string NonTransactional = "[NonTransactional(\"index on an existing collection\")]";

    public const string NewInstall = "[Migration(\"1.0.0\", 1, Path = MigrationPath.NewInstall)]";
}
