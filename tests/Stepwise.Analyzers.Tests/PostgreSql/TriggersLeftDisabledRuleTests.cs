using Verify = Stepwise.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Stepwise.Analyzers.Sql.PostgresSqlAnalyzer>;

namespace Stepwise.Analyzers.Tests.PostgreSql;

/// <summary>SW2023: triggers disabled and not enabled again.</summary>
public sealed class TriggersLeftDisabledRuleTests
{
    [Theory]
    [InlineData("ALTER TABLE orders {|SW2023:DISABLE TRIGGER audit_orders|}")]
    [InlineData("ALTER TABLE orders {|SW2023:DISABLE TRIGGER ALL|} ;; ALTER TABLE orders ENABLE REPLICA TRIGGER ALL")]
    public Task Triggers(string sql) => Verify.VerifyAnalyzerAsync(SqlMigration.UpCalls(sql));

    [Theory]
    [InlineData("ALTER TABLE orders DISABLE TRIGGER audit_orders ;; UPDATE orders SET total = 0 WHERE total < 0 ;; ALTER TABLE orders ENABLE TRIGGER audit_orders")]
    public Task DoesNotTrigger_InNonTransactionalMigration(string sql) => Verify.VerifyAnalyzerAsync(SqlMigration.UpCalls(sql, SqlMigration.NonTransactional));

    [Theory]
    [InlineData("ALTER TABLE orders DISABLE TRIGGER USER; ALTER TABLE orders ENABLE ALWAYS TRIGGER ALL")]
    public Task DoesNotTrigger(string sql) => Verify.VerifyAnalyzerAsync(SqlMigration.UpCalls(sql));

    [Fact]
    public Task InDown_DoesNotTrigger() => Verify.VerifyAnalyzerAsync(SqlMigration.DownCalls("ALTER TABLE orders DISABLE TRIGGER audit_orders"));
}
