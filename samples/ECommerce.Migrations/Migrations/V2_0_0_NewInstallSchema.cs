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
        Require(!await db.TableExistsAsync("users", ct), "table users does not exist yet (the database is empty)");
        Require(!await db.TableExistsAsync("orders", ct), "table orders does not exist yet (the database is empty)");
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
        Require(await db.ColumnExistsAsync("orders", "shipped_at", ct), "orders.shipped_at exists");
        Require(await db.TableExistsAsync("order_items", ct), "table order_items exists");
        Require(await db.ConstraintExistsAsync("orders", "orders_status_check", ct), "orders.status is restricted to known statuses");
    }
}
