using Stepwise;
using Stepwise.PostgreSql;

namespace ECommerce.Migrations.Migrations;

[Migration("2.0.0", 1, Description = "Add order line items")]
public sealed class AddOrderItemsTable : PostgresMigration
{
    public override async Task PreCheck(PostgresContext db, CancellationToken ct)
    {
        await db.RequireTableAsync("orders", ct); // version 1.1.0 is installed
        await db.RequireNoTableAsync("order_items", ct);
    }

    public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync(
        """
        CREATE TABLE IF NOT EXISTS order_items (
            id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            order_id    uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
            sku         varchar(64) NOT NULL,
            quantity    integer NOT NULL CHECK (quantity > 0),
            unit_price  numeric(10, 2) NOT NULL CHECK (unit_price >= 0)
        );
        CREATE INDEX IF NOT EXISTS idx_order_items_order_id ON order_items (order_id);
        """, ct);

    public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("DROP TABLE IF EXISTS order_items", ct);

    public override async Task Validate(PostgresContext db, CancellationToken ct)
    {
        await db.RequireTableAsync("order_items", ct);
        await db.RequireIndexAsync("idx_order_items_order_id", ct); // order items are indexed by order
    }
}
