using Stepwise;
using Stepwise.PostgreSql;

namespace ECommerce.Migrations.Migrations;

[Migration("1.2.0", 1, Description = "Record when an order shipped")]
[Changes("orders")]
public sealed class AddShippedAt : PostgresMigration
{
    public override async Task PreCheck(PostgresContext db, CancellationToken ct) =>
        Require(!await db.ColumnExistsAsync("orders", "shipped_at", ct), "orders.shipped_at does not exist yet");

    public override Task Up(PostgresContext db, CancellationToken ct) =>
        db.ExecuteAsync("ALTER TABLE orders ADD COLUMN IF NOT EXISTS shipped_at timestamptz", ct);

    public override Task Down(PostgresContext db, CancellationToken ct) =>
        db.ExecuteAsync("ALTER TABLE orders DROP COLUMN IF EXISTS shipped_at", ct);

    public override async Task Validate(PostgresContext db, CancellationToken ct) =>
        Require(await db.ColumnExistsAsync("orders", "shipped_at", ct), "orders.shipped_at exists");
}
