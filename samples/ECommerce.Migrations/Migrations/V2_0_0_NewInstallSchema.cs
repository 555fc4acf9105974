using Stepwise;
using Stepwise.PostgreSql;

namespace ECommerce.Migrations.Migrations;

// A fresh database is built at 2.0.0 directly, instead of replaying every upgrade since 1.0.0: the original layout's
// versions/v2.0.0/new-install/.
[Migration("2.0.0", 1, Path = MigrationPath.NewInstall, Phase = MigrationPhase.Schema, Description = "Create the 2.0.0 schema")]
public sealed class NewInstallSchema : PostgresMigration
{
    public override async Task PreCheck(PostgresContext db, CancellationToken ct)
    {
        await db.RequireNoTableAsync("users", ct); // the database is empty
        await db.RequireNoTableAsync("orders", ct); // the database is empty
    }

    public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync(
        """
        CREATE TABLE IF NOT EXISTS users (
            id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            email       text NOT NULL,
            username    text NOT NULL,
            created_at  timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT users_email_key UNIQUE (email)
        );
        CREATE TABLE IF NOT EXISTS orders (
            id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            user_id       uuid NOT NULL REFERENCES users (id),
            order_number  varchar(50) NOT NULL UNIQUE,
            status        varchar(20) NOT NULL DEFAULT 'pending',
            total_amount  numeric(10, 2) NOT NULL,
            created_at    timestamptz NOT NULL DEFAULT now(),
            shipped_at    timestamptz,
            CONSTRAINT orders_status_check CHECK (status IN ('pending', 'confirmed', 'shipped', 'delivered'))
        );
        CREATE TABLE IF NOT EXISTS order_items (
            id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            order_id    uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
            sku         varchar(64) NOT NULL,
            quantity    integer NOT NULL CHECK (quantity > 0),
            unit_price  numeric(10, 2) NOT NULL CHECK (unit_price >= 0)
        );
        """, ct);

    public override Task Down(PostgresContext db, CancellationToken ct) =>
        db.ExecuteAsync("DROP TABLE IF EXISTS order_items; DROP TABLE IF EXISTS orders; DROP TABLE IF EXISTS users;", ct);

    public override async Task Validate(PostgresContext db, CancellationToken ct)
    {
        await db.RequireColumnAsync("orders", "shipped_at", ct);
        await db.RequireTableAsync("order_items", ct);
        await db.RequireConstraintAsync("orders", "orders_status_check", ct);
    }
}
