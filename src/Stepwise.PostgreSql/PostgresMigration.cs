namespace Stepwise.PostgreSql;

/// <summary>A migration of a PostgreSQL database.</summary>
/// <example>
/// <code>
/// [Migration("1.1.0", 1, Description = "Add orders table")]
/// public sealed class AddOrdersTable : PostgresMigration
/// {
///     public override async Task PreCheck(PostgresContext db, CancellationToken ct) =&gt;
///         Require(!await db.TableExistsAsync("orders", ct), "table orders does not exist yet");
///     public override Task Up(PostgresContext db, CancellationToken ct) =&gt; db.ExecuteAsync("CREATE TABLE orders (id bigint PRIMARY KEY)", ct);
///     public override Task Down(PostgresContext db, CancellationToken ct) =&gt; db.ExecuteAsync("DROP TABLE orders", ct);
///     public override async Task Validate(PostgresContext db, CancellationToken ct) =&gt;
///         Require(await db.TableExistsAsync("orders", ct), "table orders exists");
/// }
/// </code>
/// </example>
public abstract class PostgresMigration : Migration<PostgresContext>
{
}
