using Verify = Stepwise.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Stepwise.Analyzers.Sql.PostgresSqlAnalyzer>;

namespace Stepwise.Analyzers.Tests.PostgreSql;

/// <summary>SW2003 (CREATE INDEX without CONCURRENTLY), SW2004 (DROP INDEX without CONCURRENTLY), SW2013 (IF NOT EXISTS).</summary>
public sealed class IndexRulesTests
{
    [Theory]
    [InlineData("{|SW2003:CREATE INDEX|} IF NOT EXISTS ix_orders_customer ON orders (customer_id)")]
    [InlineData("{|SW2003:CREATE UNIQUE INDEX|} IF NOT EXISTS ix_orders_number ON ONLY public.orders USING btree (number)")]
    public Task CreateIndexOnExistingTable_Triggers(string sql) =>
        Verify.VerifyAnalyzerAsync(SqlMigration.Up($"await db.ExecuteAsync(\"{sql}\", ct);"));

    [Fact]
    public Task CreateIndexOnTableCreatedInSameMigration_DoesNotTrigger() => Verify.VerifyAnalyzerAsync("""
        [Migration("1.1.0", 1)]
        public sealed class AddOrders : PostgresMigration
        {
            private const string Table = "CREATE TABLE IF NOT EXISTS public.orders (id bigint, customer_id bigint)";

            public override async Task Up(PostgresContext db, CancellationToken ct)
            {
                await db.ExecuteAsync(Table, ct);
                await AddIndexAsync(db, ct);
            }

            private static Task AddIndexAsync(PostgresContext db, CancellationToken ct) =>
                db.ExecuteAsync("CREATE INDEX IF NOT EXISTS ix_orders_customer ON orders (customer_id)", ct);
        }
        """);

    [Fact]
    public Task CreateIndexOnTableCreatedInAnotherPartOfThePartialMigration_DoesNotTrigger() =>
        Verify.VerifyAnalyzerAsync(
            """
            [Migration("1.1.0", 1)]
            public sealed partial class AddOrders : PostgresMigration
            {
                public override async Task Up(PostgresContext db, CancellationToken ct)
                {
                    await db.ExecuteAsync("CREATE TABLE IF NOT EXISTS orders (id bigint, customer_id bigint)", ct);
                    await AddIndexAsync(db, ct);
                }
            }
            """,
            test => test.TestState.Sources.Add("""
                public sealed partial class AddOrders
                {
                    private static Task AddIndexAsync(PostgresContext db, CancellationToken ct) =>
                        db.ExecuteAsync("CREATE INDEX IF NOT EXISTS ix_orders_customer ON orders (customer_id)", ct);
                }
                """));

    [Fact]
    public Task CreateIndexInNestedMigration_IsCheckedAgainstItsOwnTables() => Verify.VerifyAnalyzerAsync("""
        public static class Release
        {
            [Migration("1.1.0", 1)]
            public sealed class AddOrders : PostgresMigration
            {
                public override Task Up(PostgresContext db, CancellationToken ct) =>
                    db.ExecuteAsync("CREATE TABLE IF NOT EXISTS orders (id bigint, customer_id bigint)", ct);
            }

            [Migration("1.1.0", 2)]
            public sealed class IndexOrders : PostgresMigration
            {
                public override Task Up(PostgresContext db, CancellationToken ct) =>
                    db.ExecuteAsync("{|SW2003:CREATE INDEX|} IF NOT EXISTS ix_orders_customer ON orders (customer_id)", ct);
            }
        }
        """);

    [Fact]
    public Task CreateIndexInNewInstall_DoesNotTrigger() => Verify.VerifyAnalyzerAsync(SqlMigration.Up(
        "await db.ExecuteAsync(\"CREATE INDEX IF NOT EXISTS ix_orders_customer ON orders (customer_id)\", ct);",
        migration: SqlMigration.NewInstall));

    [Fact]
    public Task DropIndex_Triggers() => Verify.VerifyAnalyzerAsync(SqlMigration.Up(
        "await db.ExecuteAsync(\"{|SW2004:DROP INDEX|} IF EXISTS ix_orders_customer\", ct);"));

    [Fact]
    public Task DropIndexConcurrently_DoesNotTrigger() => Verify.VerifyAnalyzerAsync(SqlMigration.Up(
        "await db.ExecuteAsync(\"DROP INDEX CONCURRENTLY IF EXISTS ix_orders_customer\", ct);",
        "[NonTransactional(\"drops an index without blocking reads\")]"));

    [Theory]
    [InlineData("{|SW2013:CREATE TABLE|} orders (id bigint)")]
    [InlineData("{|SW2013:CREATE UNLOGGED TABLE|} staging (id bigint)")]
    [InlineData("{|SW2003:{|SW2013:CREATE INDEX|}|} ix ON orders (id)")]
    public Task CreateWithoutIfNotExists_Triggers(string sql) =>
        Verify.VerifyAnalyzerAsync(SqlMigration.Up($"await db.ExecuteAsync(\"{sql}\", ct);"));

    [Theory]
    [InlineData("CREATE TABLE IF NOT EXISTS orders (id bigint)")]
    [InlineData("CREATE TEMP TABLE batch (id bigint)")]
    public Task CreateThatCanBeRerun_DoesNotTrigger(string sql) =>
        Verify.VerifyAnalyzerAsync(SqlMigration.Up($"await db.ExecuteAsync(\"{sql}\", ct);"));
}
