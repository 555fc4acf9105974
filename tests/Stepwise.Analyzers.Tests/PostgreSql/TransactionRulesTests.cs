using Verify = Stepwise.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Stepwise.Analyzers.Sql.PostgresSqlAnalyzer,
    Stepwise.Analyzers.CodeFixes.AddNonTransactionalCodeFixProvider>;

namespace Stepwise.Analyzers.Tests.PostgreSql;

/// <summary>SW2001 (statements PostgreSQL refuses in a transaction), SW2002 (explicit transaction control), SW2015.</summary>
public sealed class TransactionRulesTests
{
    [Theory]
    [InlineData("{|SW2001:CREATE INDEX CONCURRENTLY|} IF NOT EXISTS ix_orders_customer ON orders (customer_id)")]
    [InlineData("{|SW2001:create unique index concurrently|} if not exists ix ON orders (id)")]
    [InlineData("{|SW2001:DROP INDEX CONCURRENTLY|} IF EXISTS ix_orders_customer")]
    [InlineData("{|SW2001:REINDEX INDEX CONCURRENTLY|} ix_orders_customer")]
    [InlineData("{|SW2001:REINDEX (VERBOSE) DATABASE|} shop")]
    [InlineData("{|SW2001:VACUUM (ANALYZE) orders|}")]
    [InlineData("{|SW2001:CREATE DATABASE|} reporting")]
    [InlineData("{|SW2001:DROP TABLESPACE|} fast")]
    [InlineData("{|SW2001:ALTER SYSTEM|} SET work_mem = '64MB'")]
    [InlineData("ALTER TABLE events {|SW2001:DETACH PARTITION events_2020 CONCURRENTLY|}")]
    public Task StatementRefusedInTransaction_Triggers(string sql) =>
        Verify.VerifyAnalyzerAsync(SqlMigration.Up($"await db.ExecuteAsync(\"{sql}\", ct);"));

    [Fact]
    public Task SqlMethodOfAnotherTypeOnAParameterNamedLikeTheContext_DoesNotTrigger() => Verify.VerifyAnalyzerAsync("""
        public sealed class Journal
        {
            public Task ExecuteAsync(string sql, CancellationToken ct) => Task.CompletedTask;
        }

        [Migration("1.1.0", 1)]
        public sealed class AddOrders : PostgresMigration
        {
            public override Task Up(PostgresContext context, CancellationToken ct) => Log(new Journal(), ct);

            private static Task Log(Journal db, CancellationToken ct) => db.ExecuteAsync("VACUUM orders", ct);
        }
        """);

    [Theory]
    [InlineData("Func<PostgresContext, Task> run = db => db.ExecuteAsync(\"{|SW2001:VACUUM orders|}\", ct); await run(db);")]
    [InlineData("async Task Run(PostgresContext other) => await other.ExecuteAsync(\"{|SW2001:VACUUM orders|}\", ct); await Run(db);")]
    [InlineData("await db.ExecuteAsync(ct: ct, sql: \"{|SW2001:VACUUM orders|}\");")]
    [InlineData("await db.QueryAsync<int>(\"{|SW2001:VACUUM orders|}\", ct);")]
    public Task SqlInLambdasLocalFunctionsAndNamedArguments_IsChecked(string body) =>
        Verify.VerifyAnalyzerAsync(SqlMigration.Up(body));

    [Theory]
    [InlineData("CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_orders_customer ON orders (customer_id)")]
    [InlineData("VACUUM ANALYZE orders")]
    public Task StatementRefusedInTransaction_InNonTransactionalMigration_DoesNotTrigger(string sql) =>
        Verify.VerifyAnalyzerAsync(SqlMigration.Up($"await db.ExecuteAsync(\"{sql}\", ct);", "[NonTransactional(\"builds an index without blocking writes\")]"));

    [Theory]
    [InlineData("SELECT 'CREATE INDEX CONCURRENTLY ix ON t (a)'")]
    [InlineData("SELECT 1 -- then VACUUM")]
    [InlineData("SELECT 1 /* VACUUM /* nested */ still a comment */")]
    [InlineData("SELECT $body$ VACUUM $body$")]
    [InlineData("SELECT \\\"vacuum\\\" FROM maintenance")]
    [InlineData("REFRESH MATERIALIZED VIEW CONCURRENTLY order_totals")]
    public Task KeywordsOutsideStatements_DoNotTrigger(string sql) =>
        Verify.VerifyAnalyzerAsync(SqlMigration.Up($"await db.ExecuteAsync(\"{sql}\", ct);"));

    [Fact]
    public Task ConstantBuiltFromConstants_TriggersOnTheArgument() => Verify.VerifyAnalyzerAsync(SqlMigration.Up("""
        const string Index = "ix_orders_customer";
        await db.ExecuteAsync({|SW2001:$"CREATE INDEX CONCURRENTLY IF NOT EXISTS {Index} ON orders (customer_id)"|}, ct);
        await db.ExecuteAsync({|SW2001:"DROP INDEX " + "CONCURRENTLY IF EXISTS " + Index|}, ct);
        """));

    [Theory]
    [InlineData("{|SW2002:BEGIN|}")]
    [InlineData("{|SW2002:COMMIT|}")]
    [InlineData("{|SW2002:ROLLBACK|}")]
    [InlineData("{|SW2002:START TRANSACTION ISOLATION LEVEL SERIALIZABLE|}")]
    [InlineData("UPDATE orders SET total = 0 WHERE total IS NULL; {|SW2002:END|}")]
    public Task TransactionControl_Triggers(string sql) =>
        Verify.VerifyAnalyzerAsync(SqlMigration.Up($"await db.ExecuteAsync(\"{sql}\", ct);"));

    [Theory]
    [InlineData("DO $do$ BEGIN IF NOT EXISTS (SELECT 1) THEN RAISE NOTICE 'x'; COMMIT; END IF; END $do$")]
    [InlineData("SAVEPOINT before_backfill")]
    [InlineData("ROLLBACK TO SAVEPOINT before_backfill")]
    [InlineData("CREATE OR REPLACE FUNCTION total() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 2 END; END")]
    public Task TransactionKeywordsInsideBodies_DoNotTrigger(string sql) =>
        Verify.VerifyAnalyzerAsync(SqlMigration.Up($"await db.ExecuteAsync(\"{sql}\", ct);"));

    [Fact]
    public Task RefusedStatementSharingItsCommand_TriggersEvenWhenNonTransactional() => Verify.VerifyAnalyzerAsync(SqlMigration.Up(
        """await db.ExecuteAsync("SET LOCAL lock_timeout = '5s'; {|SW2015:CREATE INDEX CONCURRENTLY|} IF NOT EXISTS ix ON orders (id);", ct);""",
        "[NonTransactional(\"builds an index without blocking writes\")]"));

    [Fact]
    public Task RefusedStatementAloneInItsCommand_DoesNotTrigger() => Verify.VerifyAnalyzerAsync(SqlMigration.Up(
        """
        await db.ExecuteAsync("SET lock_timeout = '5s'", ct);
        await db.ExecuteAsync("CREATE INDEX CONCURRENTLY IF NOT EXISTS ix ON orders (id);", ct);
        await db.ExecuteAsync("RESET lock_timeout", ct);
        """,
        "[NonTransactional(\"builds an index without blocking writes\")]"));

    [Fact]
    public Task ConcurrentIndex_FixMarksMigrationNonTransactional() => Verify.VerifyCodeFixAsync(
        """
        [Migration("1.1.0", 1)]
        public sealed class AddOrderIndex : PostgresMigration
        {
            public override Task Up(PostgresContext db, CancellationToken ct) =>
                db.ExecuteAsync("{|SW2001:CREATE INDEX CONCURRENTLY|} IF NOT EXISTS ix_orders_customer ON orders (customer_id)", ct);

            public override Task Down(PostgresContext db, CancellationToken ct) =>
                db.ExecuteAsync("{|SW2001:DROP INDEX CONCURRENTLY|} IF EXISTS ix_orders_customer", ct);
        }
        """,
        """
        [Migration("1.1.0", 1)]
        [NonTransactional("CREATE INDEX CONCURRENTLY cannot run inside a transaction block")]
        public sealed class AddOrderIndex : PostgresMigration
        {
            public override Task Up(PostgresContext db, CancellationToken ct) =>
                db.ExecuteAsync("CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_orders_customer ON orders (customer_id)", ct);

            public override Task Down(PostgresContext db, CancellationToken ct) =>
                db.ExecuteAsync("DROP INDEX CONCURRENTLY IF EXISTS ix_orders_customer", ct);
        }
        """,
        "AddNonTransactional");
}
