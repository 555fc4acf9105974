using Verify = Stepwise.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Stepwise.Analyzers.Sql.PostgresSqlAnalyzer>;

namespace Stepwise.Analyzers.Tests.PostgreSql;

/// <summary>SW2028: a backfill in the transaction that alters the table.</summary>
public sealed class BackfillInAlteringTransactionRuleTests
{
    [Theory]
    [InlineData("ALTER TABLE orders ADD COLUMN IF NOT EXISTS shipped boolean ;; {|SW2028:UPDATE orders SET shipped = false WHERE shipped IS NULL|}")]
    [InlineData("{|SW2028:INSERT INTO orders (id) SELECT id FROM carts WHERE done|} ;; ALTER TABLE orders ADD COLUMN IF NOT EXISTS shipped boolean")]
    public Task Triggers(string sql) => Verify.VerifyAnalyzerAsync(SqlMigration.UpCalls(sql));

    [Theory]
    [InlineData("ALTER TABLE orders ADD COLUMN IF NOT EXISTS shipped boolean ;; UPDATE orders SET shipped = false WHERE shipped IS NULL")]
    public Task DoesNotTrigger_InNonTransactionalMigration(string sql) => Verify.VerifyAnalyzerAsync(SqlMigration.UpCalls(sql, SqlMigration.NonTransactional));

    [Theory]
    [InlineData("ALTER TABLE orders ADD COLUMN IF NOT EXISTS shipped boolean ;; UPDATE invoices SET paid = false WHERE paid IS NULL")]
    public Task DoesNotTrigger(string sql) => Verify.VerifyAnalyzerAsync(SqlMigration.UpCalls(sql));
}
