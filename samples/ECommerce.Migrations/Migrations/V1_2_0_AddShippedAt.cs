using Stepwise;
using Stepwise.PostgreSql;

namespace ECommerce.Migrations.Migrations;

[Migration("1.2.0", 1, Description = "Record when an order shipped")]
[Changes("orders")]
public sealed class AddShippedAt : PostgresMigration
{
    public override Task PreCheck(PostgresContext db, CancellationToken ct) => db.RequireNoColumnAsync("orders", "shipped_at", ct);

    public override Task Up(PostgresContext db, CancellationToken ct) =>
        db.ExecuteAsync("ALTER TABLE orders ADD COLUMN IF NOT EXISTS shipped_at timestamptz", ct);

    public override Task Down(PostgresContext db, CancellationToken ct) =>
        db.ExecuteAsync("ALTER TABLE orders DROP COLUMN IF EXISTS shipped_at", ct);

    public override Task Validate(PostgresContext db, CancellationToken ct) => db.RequireColumnAsync("orders", "shipped_at", ct);
}
