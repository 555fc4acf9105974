using Stepwise;
using Stepwise.PostgreSql;

namespace ECommerce.Migrations.Migrations;

[Migration("1.1.0", 2, Description = "Index orders by user and status")]
[NonTransactional("CREATE INDEX CONCURRENTLY keeps orders writable while the index builds, and PostgreSQL refuses it inside a transaction")]
public sealed class AddOrderIndexes : PostgresMigration
{
    public override async Task PreCheck(PostgresContext db, CancellationToken ct)
    {
        Require(await db.TableExistsAsync("orders", ct), "table orders exists");
        Require(!await db.IndexExistsAsync("idx_orders_user_id", ct), "index idx_orders_user_id does not exist yet");
        Require(!await db.IndexExistsAsync("idx_orders_status", ct), "index idx_orders_status does not exist yet");
    }

    public override async Task Up(PostgresContext db, CancellationToken ct)
    {
        await db.ExecuteAsync("CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_orders_user_id ON orders (user_id)", ct);
        await db.ExecuteAsync("CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_orders_status ON orders (status)", ct);
    }

    public override async Task Down(PostgresContext db, CancellationToken ct)
    {
        await db.ExecuteAsync("DROP INDEX CONCURRENTLY IF EXISTS idx_orders_status", ct);
        await db.ExecuteAsync("DROP INDEX CONCURRENTLY IF EXISTS idx_orders_user_id", ct);
    }

    public override async Task Validate(PostgresContext db, CancellationToken ct)
    {
        Require(await db.IndexExistsAsync("idx_orders_user_id", ct), "index idx_orders_user_id exists and is valid");
        Require(await db.IndexExistsAsync("idx_orders_status", ct), "index idx_orders_status exists and is valid");
    }
}
