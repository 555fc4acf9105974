using Stepwise;
using Stepwise.PostgreSql;

namespace ECommerce.Migrations.Migrations;

// On a fresh database the tables are empty, so plain CREATE INDEX inside the step's transaction is right here.
[Migration("2.0.0", 1, Path = MigrationPath.NewInstall, Phase = MigrationPhase.Indexes, Description = "Index the 2.0.0 schema")]
public sealed class NewInstallIndexes : PostgresMigration
{
    public override async Task PreCheck(PostgresContext db, CancellationToken ct)
    {
        await db.RequireTableAsync("order_items", ct);
        await db.RequireNoIndexAsync("idx_orders_user_id", ct);
    }

    public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync(
        """
        CREATE INDEX IF NOT EXISTS idx_orders_user_id ON orders (user_id);
        CREATE INDEX IF NOT EXISTS idx_orders_status ON orders (status);
        CREATE INDEX IF NOT EXISTS idx_order_items_order_id ON order_items (order_id);
        """, ct);

    public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync(
        "DROP INDEX IF EXISTS idx_order_items_order_id; DROP INDEX IF EXISTS idx_orders_status; DROP INDEX IF EXISTS idx_orders_user_id;", ct);

    public override async Task Validate(PostgresContext db, CancellationToken ct)
    {
        await db.RequireIndexAsync("idx_orders_user_id", ct);
        await db.RequireIndexAsync("idx_orders_status", ct);
        await db.RequireIndexAsync("idx_order_items_order_id", ct);
    }
}
