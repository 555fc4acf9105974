using Stepwise;
using Stepwise.PostgreSql;

namespace ECommerce.Migrations.Migrations;

[Migration("1.2.0", 1, Phase = MigrationPhase.DataMigration, Description = "Backfill shipped_at for orders already shipped")]
[Changes("orders")]
public sealed class BackfillShippedAt : PostgresMigration
{
    public override Task PreCheck(PostgresContext db, CancellationToken ct) => db.RequireColumnAsync("orders", "shipped_at", ct);

    public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync(
        "UPDATE orders SET shipped_at = created_at WHERE status IN ('shipped', 'delivered') AND shipped_at IS NULL", ct);

    // Before this migration every shipped_at was NULL (the column is new in 1.2.0), so clearing it restores that state.
    public override Task Down(PostgresContext db, CancellationToken ct) =>
        db.ExecuteAsync("UPDATE orders SET shipped_at = NULL WHERE shipped_at IS NOT NULL", ct);

    public override async Task Validate(PostgresContext db, CancellationToken ct)
    {
        var missing = await db.ScalarAsync<long>(
            "SELECT count(*) FROM orders WHERE status IN ('shipped', 'delivered') AND shipped_at IS NULL", ct);
        Require(missing == 0, "every shipped or delivered order has shipped_at", $"{missing} without");
    }
}
