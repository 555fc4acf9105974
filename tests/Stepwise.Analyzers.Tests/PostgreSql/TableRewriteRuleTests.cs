using Verify = Stepwise.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Stepwise.Analyzers.Sql.PostgresSqlAnalyzer>;

namespace Stepwise.Analyzers.Tests.PostgreSql;

/// <summary>SW2029: statements that rewrite an existing table.</summary>
public sealed class TableRewriteRuleTests
{
    [Theory]
    [InlineData("{|SW2029:CLUSTER orders USING orders_pkey|}")]
    [InlineData("ALTER TABLE orders {|SW2029:SET TABLESPACE fast_disks|}")]
    [InlineData("ALTER TABLE orders {|SW2029:SET UNLOGGED|}")]
    public Task Triggers(string sql) => Verify.VerifyAnalyzerAsync(SqlMigration.UpCalls(sql));

    [Theory]
    [InlineData("{|SW2029:VACUUM FULL orders|}")]
    [InlineData("{|SW2029:VACUUM (FULL, ANALYZE) orders|}")]
    public Task Triggers_InNonTransactionalMigration(string sql) => Verify.VerifyAnalyzerAsync(SqlMigration.UpCalls(sql, SqlMigration.NonTransactional));

    [Theory]
    [InlineData("VACUUM (ANALYZE) orders")]
    public Task DoesNotTrigger_InNonTransactionalMigration(string sql) => Verify.VerifyAnalyzerAsync(SqlMigration.UpCalls(sql, SqlMigration.NonTransactional));

    [Theory]
    [InlineData("CLUSTER orders USING orders_pkey")]
    public Task DoesNotTrigger_InNewInstall(string sql) => Verify.VerifyAnalyzerAsync(SqlMigration.UpCalls(sql, "", SqlMigration.NewInstall));
}
