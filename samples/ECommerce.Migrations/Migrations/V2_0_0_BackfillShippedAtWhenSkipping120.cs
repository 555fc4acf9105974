using Stepwise;
using Stepwise.PostgreSql;

namespace ECommerce.Migrations.Migrations;

[Migration("2.0.0", 1, From = "1.1.0", Phase = MigrationPhase.DataMigration, Description = "Backfill shipped_at (for databases coming from 1.1.0)")]
[Changes("orders")]
public sealed class BackfillShippedAtWhenSkipping120 : PostgresMigration
{
    public override Task PreCheck(PostgresContext db, CancellationToken ct) => db.RequireColumnAsync("orders", "shipped_at", ct);

    public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync(
        "UPDATE orders SET shipped_at = created_at WHERE status IN ('shipped', 'delivered') AND shipped_at IS NULL", ct);

    // The column is new on this hop, so every value was NULL before.
    public override Task Down(PostgresContext db, CancellationToken ct) =>
        db.ExecuteAsync("UPDATE orders SET shipped_at = NULL WHERE shipped_at IS NOT NULL", ct);

    public override async Task Validate(PostgresContext db, CancellationToken ct)
    {
        var missing = await db.ScalarAsync<long>(
            "SELECT count(*) FROM orders WHERE status IN ('shipped', 'delivered') AND shipped_at IS NULL", ct);
        Require(missing == 0, "every shipped or delivered order has shipped_at", $"{missing} without");
    }
}
