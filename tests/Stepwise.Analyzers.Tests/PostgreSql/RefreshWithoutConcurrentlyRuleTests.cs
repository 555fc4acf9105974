using Verify = Stepwise.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Stepwise.Analyzers.Sql.PostgresSqlAnalyzer>;

namespace Stepwise.Analyzers.Tests.PostgreSql;

/// <summary>SW2031: a materialized view refreshed without CONCURRENTLY.</summary>
public sealed class RefreshWithoutConcurrentlyRuleTests
{
    [Theory]
    [InlineData("{|SW2031:REFRESH MATERIALIZED VIEW order_totals|}")]
    public Task Triggers(string sql) => Verify.VerifyAnalyzerAsync(SqlMigration.UpCalls(sql));

    [Theory]
    [InlineData("REFRESH MATERIALIZED VIEW CONCURRENTLY order_totals")]
    [InlineData("REFRESH MATERIALIZED VIEW order_totals WITH NO DATA")]
    [InlineData("CREATE MATERIALIZED VIEW IF NOT EXISTS order_totals AS SELECT 1 AS n ;; REFRESH MATERIALIZED VIEW order_totals")]
    public Task DoesNotTrigger(string sql) => Verify.VerifyAnalyzerAsync(SqlMigration.UpCalls(sql));
}
