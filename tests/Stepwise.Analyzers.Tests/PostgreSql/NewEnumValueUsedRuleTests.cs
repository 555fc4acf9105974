using Verify = Stepwise.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Stepwise.Analyzers.Sql.PostgresSqlAnalyzer>;

namespace Stepwise.Analyzers.Tests.PostgreSql;

/// <summary>SW2027: a new enum value used in the transaction that adds it.</summary>
public sealed class NewEnumValueUsedRuleTests
{
    [Theory]
    [InlineData("ALTER TYPE order_status ADD VALUE IF NOT EXISTS 'refunded' ;; {|SW2027:UPDATE orders SET status = 'refunded' WHERE refunded_at IS NOT NULL|}")]
    public Task Triggers(string sql) => Verify.VerifyAnalyzerAsync(SqlMigration.UpCalls(sql));

    [Theory]
    [InlineData("ALTER TYPE order_status ADD VALUE 'refunded'; {|SW2027:UPDATE orders SET status = 'refunded' WHERE refunded_at IS NOT NULL|}")]
    public Task Triggers_InNonTransactionalMigration(string sql) => Verify.VerifyAnalyzerAsync(SqlMigration.UpCalls(sql, SqlMigration.NonTransactional));

    [Theory]
    [InlineData("ALTER TYPE order_status ADD VALUE 'refunded' ;; UPDATE orders SET status = 'refunded' WHERE refunded_at IS NOT NULL")]
    public Task DoesNotTrigger_InNonTransactionalMigration(string sql) => Verify.VerifyAnalyzerAsync(SqlMigration.UpCalls(sql, SqlMigration.NonTransactional));

    [Theory]
    [InlineData("CREATE TYPE order_status AS ENUM ('new') ;; ALTER TYPE order_status ADD VALUE 'refunded' ;; UPDATE orders SET note = 'refunded' WHERE id = 1")]
    public Task DoesNotTrigger(string sql) => Verify.VerifyAnalyzerAsync(SqlMigration.UpCalls(sql));
}
