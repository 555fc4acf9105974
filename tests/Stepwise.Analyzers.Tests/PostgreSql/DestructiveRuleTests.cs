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
    [InlineData("{|SW2012:TRUNCATE carts CASCADE|}")]
    [InlineData("{|SW2012:DROP VIEW IF EXISTS order_totals|}")]
    [InlineData("{|SW2012:DROP MATERIALIZED VIEW order_stats|}")]
    [InlineData("{|SW2012:DROP FUNCTION IF EXISTS order_total(bigint)|}")]
    [InlineData("{|SW2012:DROP TYPE order_status|}")]
    [InlineData("{|SW2012:DROP SEQUENCE order_numbers|}")]
    [InlineData("{|SW2012:DROP TRIGGER orders_audit ON orders|}")]
    [InlineData("{|SW2012:DROP EXTENSION pg_trgm|}")]
    [InlineData("{|SW2012:DROP POLICY tenant_isolation ON orders|}")]
    [InlineData("{|SW2012:DROP SCHEMA legacy CASCADE|}")]
    [InlineData("ALTER TABLE orders {|SW2012:DROP CONSTRAINT IF EXISTS orders_total_check|}")]
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

    [Fact]
    public Task DroppingInAHelperThatOnlyDownCalls_DoesNotTrigger() => Verify.VerifyAnalyzerAsync("""
        [Migration("1.1.0", 1)]
        public sealed class AddTier : PostgresMigration
        {
            public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("ALTER TABLE customers ADD COLUMN IF NOT EXISTS tier text", ct);

            public override Task Down(PostgresContext db, CancellationToken ct) => DropTier(db, ct);

            private static Task DropTier(PostgresContext db, CancellationToken ct) => Drop(db, "ALTER TABLE customers DROP COLUMN IF EXISTS tier", ct);

            private static Task Drop(PostgresContext db, string sql, CancellationToken ct) => db.ExecuteAsync(sql, ct);
        }
        """);

    [Fact]
    public Task DroppingInAHelperThatUpAlsoCalls_Triggers() => Verify.VerifyAnalyzerAsync("""
        [Migration("1.1.0", 1)]
        public sealed class AddTier : PostgresMigration
        {
            public override async Task Up(PostgresContext db, CancellationToken ct)
            {
                await DropLegacy(db, ct);
                await db.ExecuteAsync("ALTER TABLE customers ADD COLUMN IF NOT EXISTS tier text", ct);
            }

            public override Task Down(PostgresContext db, CancellationToken ct) => DropLegacy(db, ct);

            private static Task DropLegacy(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("ALTER TABLE customers {|SW2012:DROP COLUMN IF EXISTS legacy|}", ct);
        }
        """);

    [Fact]
    public Task TableThatDownRecreates_DoesNotExemptUpsDrop() => Verify.VerifyAnalyzerAsync("""
        [Migration("1.1.0", 1)]
        public sealed class DropCarts : PostgresMigration
        {
            public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("{|SW2012:DROP TABLE IF EXISTS carts|}", ct);

            public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("CREATE TABLE IF NOT EXISTS carts (id bigint)", ct);
        }
        """);

    [Fact]
    public Task GeneratedMigration_IsCheckedLikeAnyOther() => Verify.VerifyAnalyzerAsync("""
        // <auto-generated>
        //   Converted from legacy SQL files.
        // </auto-generated>
        [Migration("1.1.0", 1)]
        public sealed class DropCarts : PostgresMigration
        {
            public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("{|SW2012:DROP TABLE IF EXISTS carts|}", ct);
        }
        """);

    [Fact]
    public Task CascadeSaysWhatElseGoes() => Verify.VerifyAnalyzerAsync(SqlMigration.Up("await db.ExecuteAsync(\"TRUNCATE carts CASCADE\", ct);"),
        Verify.Diagnostic("SW2012").WithSpan(7, 32, 7, 54)
            .WithArguments("TRUNCATE carts CASCADE (also empties every table with a foreign key to it)", "AddOrders"));
}
