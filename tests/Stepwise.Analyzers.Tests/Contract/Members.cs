namespace Stepwise.Analyzers.Tests.Contract;

/// <summary>Member bodies that satisfy SW1001–SW1003, for tests about something else.</summary>
internal static class Members
{
    public const string Complete = """
            public override async Task PreCheck(PostgresContext db, CancellationToken ct) => Require(!await db.TableExistsAsync("orders", ct), "no orders table yet");
            public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("CREATE TABLE IF NOT EXISTS orders (id bigint)", ct);
            public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("DROP TABLE orders", ct);
            public override async Task Validate(PostgresContext db, CancellationToken ct) => Require(await db.TableExistsAsync("orders", ct), "orders exists");
        """;

    public const string UpOnly = """
            public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("SELECT 1", ct);
        """;
}
