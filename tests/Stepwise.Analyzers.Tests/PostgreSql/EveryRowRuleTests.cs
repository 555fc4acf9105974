using Verify = Stepwise.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Stepwise.Analyzers.Sql.PostgresSqlAnalyzer>;

namespace Stepwise.Analyzers.Tests.PostgreSql;

/// <summary>SW2016: UPDATE or DELETE of every row of an existing table in an upgrade.</summary>
public sealed class EveryRowRuleTests
{
    [Theory]
    [InlineData("{|SW2016:UPDATE orders SET status = 'pending'|}")]
    [InlineData("{|SW2016:UPDATE ONLY orders SET status = (SELECT 'pending' WHERE true)|}")]
    [InlineData("{|SW2016:DELETE FROM carts|}")]
    public Task EveryRow_Triggers(string sql) => Verify.VerifyAnalyzerAsync(SqlMigration.Up($"await db.ExecuteAsync(\"{sql}\", ct);"));

    [Theory]
    [InlineData("UPDATE orders SET status = 'pending' WHERE status IS NULL")]
    [InlineData("DELETE FROM carts WHERE created_at < now() - interval '90 days'")]
    [InlineData("WITH stale AS (SELECT id FROM carts) DELETE FROM carts USING stale WHERE carts.id = stale.id")]
    public Task WithAWhere_DoesNotTrigger(string sql) => Verify.VerifyAnalyzerAsync(SqlMigration.Up($"await db.ExecuteAsync(\"{sql}\", ct);"));

    [Fact]
    public Task TableCreatedInTheSameUp_AndNewInstalls_DoNotTrigger() => Verify.VerifyAnalyzerAsync(SqlMigration.Up("""
        await db.ExecuteAsync("CREATE TABLE IF NOT EXISTS order_flags (id bigint, flag text)", ct);
        await db.ExecuteAsync("UPDATE order_flags SET flag = 'none'", ct);
        """)
        + SqlMigration.Up("await db.ExecuteAsync(\"UPDATE settings SET value = 'on'\", ct);", migration: SqlMigration.NewInstall).Replace("AddOrders", "Seed", StringComparison.Ordinal));

    [Fact]
    public Task EveryRowInDown_DoesNotTrigger() => Verify.VerifyAnalyzerAsync("""
        [Migration("1.1.0", 1)]
        public sealed class AddStatus : PostgresMigration
        {
            public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("ALTER TABLE orders ADD COLUMN IF NOT EXISTS status text", ct);

            public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("UPDATE orders SET legacy_status = status", ct);
        }
        """);
}
