using Stepwise;
using Stepwise.PostgreSql;

namespace ECommerce.Migrations.Migrations;

[Migration("1.1.0", 2, Description = "Index orders by user and status")]
[NonTransactional("CREATE INDEX CONCURRENTLY keeps orders writable while the index builds, and PostgreSQL refuses it inside a transaction")]
public sealed class AddOrderIndexes : PostgresMigration
{
    public override async Task PreCheck(PostgresContext db, CancellationToken ct)
    {
        await db.RequireTableAsync("orders", ct);
        await db.RequireNoIndexAsync("idx_orders_user_id", ct);
        await db.RequireNoIndexAsync("idx_orders_status", ct);
    }

    public override async Task Up(PostgresContext db, CancellationToken ct)
    {
        // A build stopped halfway leaves an invalid index that IF NOT EXISTS would keep: drop any such leftover first.
        await db.ExecuteAsync("DROP INDEX CONCURRENTLY IF EXISTS idx_orders_user_id", ct);
        await db.ExecuteAsync("CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_orders_user_id ON orders (user_id)", ct);
        await db.ExecuteAsync("DROP INDEX CONCURRENTLY IF EXISTS idx_orders_status", ct);
        await db.ExecuteAsync("CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_orders_status ON orders (status)", ct);
    }

    public override async Task Down(PostgresContext db, CancellationToken ct)
    {
        await db.ExecuteAsync("DROP INDEX CONCURRENTLY IF EXISTS idx_orders_status", ct);
        await db.ExecuteAsync("DROP INDEX CONCURRENTLY IF EXISTS idx_orders_user_id", ct);
    }

    public override async Task Validate(PostgresContext db, CancellationToken ct)
    {
        await db.RequireIndexAsync("idx_orders_user_id", ct);
        await db.RequireIndexAsync("idx_orders_status", ct);
    }
}
