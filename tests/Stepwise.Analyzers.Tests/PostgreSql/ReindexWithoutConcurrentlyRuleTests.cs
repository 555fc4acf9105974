using Verify = Stepwise.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Stepwise.Analyzers.Sql.PostgresSqlAnalyzer>;

namespace Stepwise.Analyzers.Tests.PostgreSql;

/// <summary>SW2032: REINDEX of a table or index without CONCURRENTLY.</summary>
public sealed class ReindexWithoutConcurrentlyRuleTests
{
    [Theory]
    [InlineData("{|SW2032:REINDEX INDEX ix_orders_customer|}")]
    [InlineData("{|SW2032:REINDEX (VERBOSE) TABLE orders|}")]
    public Task Triggers(string sql) => Verify.VerifyAnalyzerAsync(SqlMigration.UpCalls(sql));

    [Theory]
    [InlineData("REINDEX INDEX ix_orders_customer")]
    public Task DoesNotTrigger_InNewInstall(string sql) => Verify.VerifyAnalyzerAsync(SqlMigration.UpCalls(sql, "", SqlMigration.NewInstall));
}
