using Verify = Stepwise.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Stepwise.Analyzers.Sql.PostgresSqlAnalyzer>;

namespace Stepwise.Analyzers.Tests.PostgreSql;

/// <summary>SW2037: CREATE INDEX CONCURRENTLY IF NOT EXISTS without dropping a leftover first.</summary>
public sealed class InvalidIndexKeptRuleTests
{
    [Theory]
    [InlineData("{|SW2037:CREATE INDEX CONCURRENTLY|} IF NOT EXISTS ix_orders_status ON orders (status)")]
    [InlineData("DROP INDEX CONCURRENTLY IF EXISTS ix_orders_user ;; {|SW2037:CREATE UNIQUE INDEX CONCURRENTLY|} IF NOT EXISTS ix_orders_status ON orders (status)")]
    public Task Triggers_InNonTransactionalMigration(string sql) => Verify.VerifyWithRuleAsync("SW2037", SqlMigration.UpCalls(sql, SqlMigration.NonTransactional));

    [Theory]
    [InlineData("DROP INDEX CONCURRENTLY IF EXISTS ix_orders_status ;; CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_orders_status ON orders (status)")]
    public Task DoesNotTrigger_InNonTransactionalMigration(string sql) => Verify.VerifyWithRuleAsync("SW2037", SqlMigration.UpCalls(sql, SqlMigration.NonTransactional));
}
