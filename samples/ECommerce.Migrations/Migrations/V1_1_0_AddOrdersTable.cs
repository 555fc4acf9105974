using Stepwise;
using Stepwise.PostgreSql;

namespace ECommerce.Migrations.Migrations;

[Migration("1.1.0", 1, Description = "Add the orders table")]
public sealed class AddOrdersTable : PostgresMigration
{
    public override async Task PreCheck(PostgresContext db, CancellationToken ct)
    {
        await db.RequireTableAsync("users", ct); // version 1.0.0 is installed
        await db.RequireNoTableAsync("orders", ct);
    }

    public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync(
        """
        CREATE TABLE IF NOT EXISTS orders (
            id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            user_id       uuid NOT NULL REFERENCES users (id),
            order_number  varchar(50) NOT NULL UNIQUE,
            status        varchar(20) NOT NULL DEFAULT 'pending',
            total_amount  numeric(10, 2) NOT NULL,
            created_at    timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT orders_status_check CHECK (status IN ('pending', 'confirmed', 'shipped', 'delivered'))
        )
        """, ct);

    public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("DROP TABLE IF EXISTS orders", ct);

    public override async Task Validate(PostgresContext db, CancellationToken ct)
    {
        await db.RequireTableAsync("orders", ct);
        await db.RequireConstraintAsync("orders", "orders_status_check", ct);
    }
}
