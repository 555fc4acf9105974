using Stepwise;
using Stepwise.PostgreSql;

namespace ECommerce.Migrations.Migrations;

// 2.0.0 can be reached from 1.1.0 directly or through 1.2.0 (see project-config.yaml). Only the hop from 1.1.0 lacks
// what 1.2.0 added, so this migration and its backfill run on that hop alone: the original layout's upgrade/from-1.1.0/.
[Migration("2.0.0", 2, From = "1.1.0", Description = "Record when an order shipped (what 1.2.0 adds, for databases coming from 1.1.0)")]
[Changes("orders")]
public sealed class AddShippedAtWhenSkipping120 : PostgresMigration
{
    public override Task PreCheck(PostgresContext db, CancellationToken ct) => db.RequireNoColumnAsync("orders", "shipped_at", ct);

    public override Task Up(PostgresContext db, CancellationToken ct) =>
        db.ExecuteAsync("ALTER TABLE orders ADD COLUMN IF NOT EXISTS shipped_at timestamptz", ct);

    public override Task Down(PostgresContext db, CancellationToken ct) =>
        db.ExecuteAsync("ALTER TABLE orders DROP COLUMN IF EXISTS shipped_at", ct);

    public override Task Validate(PostgresContext db, CancellationToken ct) => db.RequireColumnAsync("orders", "shipped_at", ct);
}
