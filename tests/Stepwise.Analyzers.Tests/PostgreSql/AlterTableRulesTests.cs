using Verify = Stepwise.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Stepwise.Analyzers.Sql.PostgresSqlAnalyzer>;

namespace Stepwise.Analyzers.Tests.PostgreSql;

/// <summary>SW2005–SW2011: ALTER TABLE actions that lock, rewrite or break the running application.</summary>
public sealed class AlterTableRulesTests
{
    [Theory]
    [InlineData("ALTER TABLE orders {|SW2005:ADD COLUMN status text NOT NULL|}", "SW2005")]
    [InlineData("ALTER TABLE orders {|SW2005:ADD status text CONSTRAINT nn NOT NULL|}", "SW2005")]
    [InlineData("ALTER TABLE orders {|SW2006:ALTER COLUMN total SET NOT NULL|}", "SW2006")]
    [InlineData("ALTER TABLE orders {|SW2007:ALTER COLUMN total TYPE numeric(12,2)|}", "SW2007")]
    [InlineData("ALTER TABLE orders {|SW2007:ALTER total SET DATA TYPE bigint USING total::bigint|}", "SW2007")]
    [InlineData("ALTER TABLE orders {|SW2008:ADD CONSTRAINT fk_customer FOREIGN KEY (customer_id) REFERENCES customers (id)|}", "SW2008")]
    [InlineData("ALTER TABLE orders {|SW2008:ADD CONSTRAINT total_positive CHECK (total >= 0)|}", "SW2008")]
    [InlineData("ALTER TABLE orders {|SW2009:ADD CONSTRAINT uq_number UNIQUE (number)|}", "SW2009")]
    [InlineData("ALTER TABLE orders {|SW2009:ADD PRIMARY KEY (id)|}", "SW2009")]
    [InlineData("ALTER TABLE orders {|SW2009:ADD COLUMN code text UNIQUE|}", "SW2009")]
    [InlineData("ALTER TABLE orders {|SW2010:ADD COLUMN token uuid DEFAULT gen_random_uuid()|}", "SW2010")]
    [InlineData("ALTER TABLE orders {|SW2010:ADD COLUMN seq bigserial|}", "SW2010")]
    [InlineData("ALTER TABLE orders {|SW2010:ADD COLUMN stamp timestamptz DEFAULT (clock_timestamp() + interval '1 day')|}", "SW2010")]
    [InlineData("ALTER TABLE orders {|SW2011:RENAME COLUMN total TO amount|}", "SW2011")]
    [InlineData("ALTER TABLE IF EXISTS orders {|SW2011:RENAME TO purchases|}", "SW2011")]
    public Task UnsafeAction_Triggers(string sql, string rule)
    {
        Assert.StartsWith("SW20", rule);
        return Verify.VerifyAnalyzerAsync(SqlMigration.Up($"await db.ExecuteAsync(\"{sql}\", ct);"));
    }

    [Theory]
    [InlineData("ALTER TABLE orders ADD COLUMN status text NOT NULL DEFAULT 'new'")]
    [InlineData("ALTER TABLE orders ADD COLUMN IF NOT EXISTS note text")]
    [InlineData("ALTER TABLE orders ADD COLUMN created timestamptz NOT NULL DEFAULT now()")]
    [InlineData("ALTER TABLE orders ALTER COLUMN total SET DEFAULT 0")]
    [InlineData("ALTER TABLE orders ADD CONSTRAINT fk_customer FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID")]
    [InlineData("ALTER TABLE orders ADD CONSTRAINT total_nn CHECK (total IS NOT NULL) NOT VALID")]
    [InlineData("ALTER TABLE orders VALIDATE CONSTRAINT fk_customer")]
    [InlineData("ALTER TABLE orders ADD CONSTRAINT uq_number UNIQUE USING INDEX ix_orders_number")]
    [InlineData("ALTER TABLE orders RENAME CONSTRAINT fk_customer TO fk_orders_customer")]
    [InlineData("UPDATE orders SET note = 'ALTER TABLE orders RENAME TO x' WHERE note IS NULL")]
    public Task SafeAction_DoesNotTrigger(string sql) =>
        Verify.VerifyAnalyzerAsync(SqlMigration.Up($"await db.ExecuteAsync(\"{sql}\", ct);"));

    [Fact]
    public Task SeveralActionsInOneStatement_EachIsChecked() => Verify.VerifyAnalyzerAsync(SqlMigration.Up(
        "await db.ExecuteAsync(\"ALTER TABLE orders ADD COLUMN note text, {|SW2006:ALTER COLUMN total SET NOT NULL|}, {|SW2011:RENAME total TO amount|}\", ct);"));

    [Fact]
    public Task ActionsOnTableCreatedInSameMigration_DoNotTrigger() => Verify.VerifyAnalyzerAsync(SqlMigration.Up("""
        await db.ExecuteAsync("CREATE TABLE IF NOT EXISTS \"Orders\" (id bigint)", ct);
        await db.ExecuteAsync("ALTER TABLE \"Orders\" ADD COLUMN status text NOT NULL, ADD PRIMARY KEY (id), ALTER COLUMN id SET NOT NULL", ct);
        """));

    [Fact]
    public Task QuotedNameThatDiffersInCase_IsAnotherTable() => Verify.VerifyAnalyzerAsync(SqlMigration.Up("""
        await db.ExecuteAsync("CREATE TABLE IF NOT EXISTS \"Orders\" (id bigint)", ct);
        await db.ExecuteAsync("ALTER TABLE orders {|SW2006:ALTER COLUMN id SET NOT NULL|}", ct);
        """));

    [Fact]
    public Task ActionsInNewInstall_DoNotTrigger() => Verify.VerifyAnalyzerAsync(SqlMigration.Up(
        "await db.ExecuteAsync(\"ALTER TABLE orders ADD COLUMN status text NOT NULL, ADD CONSTRAINT fk FOREIGN KEY (c) REFERENCES customers (id)\", ct);",
        migration: SqlMigration.NewInstall));

    [Fact]
    public Task DownThatReversesUpsRename_DoesNotTrigger_ButAnotherRenameInDownDoes() => Verify.VerifyAnalyzerAsync("""
        [Migration("1.1.0", 1)]
        public sealed class RenameTotal : PostgresMigration
        {
            public override async Task Down(PostgresContext db, CancellationToken ct)
            {
                await db.ExecuteAsync("ALTER TABLE orders RENAME COLUMN amount TO total", ct);
                await db.ExecuteAsync("ALTER TABLE purchases RENAME TO orders_archive", ct);
                await db.ExecuteAsync("ALTER TABLE customers {|SW2011:RENAME COLUMN tier TO level|}", ct);
            }

            public override async Task Up(PostgresContext db, CancellationToken ct)
            {
                await db.ExecuteAsync("ALTER TABLE orders {|SW2011:RENAME COLUMN total TO amount|}", ct);
                await db.ExecuteAsync("ALTER TABLE orders_archive {|SW2011:RENAME TO purchases|}", ct);
            }
        }
        """);

    [Theory]
    [InlineData("SET LOCAL timezone = 'UTC' ;; ALTER TABLE orders ALTER COLUMN placed_at TYPE timestamptz")]
    [InlineData("SET LOCAL TIME ZONE 'Etc/UTC'; ALTER TABLE orders ALTER COLUMN placed_at SET DATA TYPE timestamp with time zone")]
    public Task TimestampToTimestamptzUnderUtc_DoesNotTrigger(string sql) => Verify.VerifyAnalyzerAsync(SqlMigration.UpCalls(sql));

    [Theory]
    [InlineData("ALTER TABLE orders {|SW2007:ALTER COLUMN placed_at TYPE timestamptz|}")]
    [InlineData("SET LOCAL timezone = 'Europe/Paris' ;; ALTER TABLE orders {|SW2007:ALTER COLUMN placed_at TYPE timestamptz|}")]
    [InlineData("SET LOCAL timezone = 'UTC' ;; ALTER TABLE orders {|SW2007:ALTER COLUMN placed_at TYPE timestamptz USING placed_at AT TIME ZONE 'Europe/Paris'|}")]
    public Task TimestamptzOutsideUtc_Triggers(string sql) => Verify.VerifyAnalyzerAsync(SqlMigration.UpCalls(sql));

    [Theory]
    [InlineData("{|SW2011:ALTER VIEW order_totals RENAME TO order_sums|}")]
    [InlineData("{|SW2011:ALTER MATERIALIZED VIEW order_totals RENAME TO order_sums|}")]
    [InlineData("{|SW2011:ALTER FUNCTION order_count(bigint) RENAME TO count_orders|}")]
    [InlineData("{|SW2011:ALTER TYPE order_status RENAME VALUE 'sent' TO 'shipped'|}")]
    [InlineData("{|SW2011:ALTER SCHEMA sales RENAME TO commerce|}")]
    public Task RenamingOtherObjects_Triggers(string sql) => Verify.VerifyAnalyzerAsync(SqlMigration.UpCalls(sql));

    [Fact]
    public Task DownPuttingBackAnEnumValue_DoesNotTrigger() => Verify.VerifyAnalyzerAsync("""
        [Migration("1.1.0", 1)]
        public sealed class RenameStatus : PostgresMigration
        {
            public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("{|#0:ALTER TYPE order_status RENAME VALUE 'sent' TO 'shipped'|}", ct);

            public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("ALTER TYPE order_status RENAME VALUE 'shipped' TO 'sent'", ct);
        }
        """, Verify.Diagnostic("SW2011").WithLocation(0).WithArguments("enum value 'sent' of 'order_status' to 'shipped'"));
}
