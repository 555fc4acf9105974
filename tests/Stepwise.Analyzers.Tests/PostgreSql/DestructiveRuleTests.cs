using Verify = Stepwise.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Stepwise.Analyzers.Sql.PostgresSqlAnalyzer>;

namespace Stepwise.Analyzers.Tests.PostgreSql;

/// <summary>SW2012: DROP COLUMN, DROP TABLE and TRUNCATE in an upgrade need [Destructive("why")].</summary>
public sealed class DestructiveRuleTests
{
    [Theory]
    [InlineData("ALTER TABLE orders {|SW2012:DROP COLUMN legacy_code|}")]
    [InlineData("ALTER TABLE orders {|SW2012:DROP IF EXISTS legacy_code|}")]
    [InlineData("{|SW2012:DROP TABLE IF EXISTS legacy_orders, legacy_items CASCADE|}")]
    [InlineData("{|SW2012:TRUNCATE TABLE ONLY carts|}")]
    public Task DestructiveStatementInUpgrade_Triggers(string sql) =>
        Verify.VerifyAnalyzerAsync(SqlMigration.Up($"await db.ExecuteAsync(\"{sql}\", ct);"));

    [Fact]
    public Task DestructiveStatementWithJustification_DoesNotTrigger() => Verify.VerifyAnalyzerAsync(SqlMigration.Up(
        "await db.ExecuteAsync(\"DROP TABLE IF EXISTS legacy_orders\", ct);",
        "[Destructive(\"legacy_orders unused since 1.4.0; rows copied to orders\")]"));

    [Fact]
    public Task DestructiveStatementInNewInstall_DoesNotTrigger() => Verify.VerifyAnalyzerAsync(SqlMigration.Up(
        "await db.ExecuteAsync(\"TRUNCATE seed_scratch\", ct);", migration: SqlMigration.NewInstall));

    [Fact]
    public Task DroppingInDown_DoesNotTrigger() => Verify.VerifyAnalyzerAsync("""
        [Migration("1.1.0", 1)]
        public sealed class AddOrders : PostgresMigration
        {
            public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("ALTER TABLE customers ADD COLUMN IF NOT EXISTS tier text", ct);

            public override async Task Down(PostgresContext db, CancellationToken ct)
            {
                async Task Drop() => await db.ExecuteAsync("ALTER TABLE customers DROP COLUMN IF EXISTS tier", ct);
                await Drop();
                await db.ExecuteAsync("DROP TABLE IF EXISTS orders", ct);
            }
        }
        """);

    [Fact]
    public Task DroppingStagingTableCreatedInSameMigration_DoesNotTrigger() => Verify.VerifyAnalyzerAsync(SqlMigration.Up("""
        await db.ExecuteAsync("CREATE TEMP TABLE batch AS SELECT id FROM orders", ct);
        await db.ExecuteAsync("UPDATE orders SET total = 0 WHERE id IN (SELECT id FROM batch)", ct);
        await db.ExecuteAsync("DROP TABLE batch", ct);
        """));
}
