using Verify = Stepwise.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Stepwise.Analyzers.Sql.PostgresSqlAnalyzer>;

namespace Stepwise.Analyzers.Tests.PostgreSql;

/// <summary>SW2034: a session setting that outlives the step.</summary>
public sealed class SessionSettingRuleTests
{
    [Theory]
    [InlineData("{|SW2034:SET search_path = app, public|}")]
    [InlineData("{|SW2034:SET ROLE migrator|} ;; UPDATE orders SET total = 0 WHERE total < 0")]
    public Task Triggers(string sql) => Verify.VerifyAnalyzerAsync(SqlMigration.UpCalls(sql));

    [Theory]
    [InlineData("RESET statement_timeout ;; {|SW2034:SET statement_timeout = '1min'|}")]
    public Task Triggers_InNonTransactionalMigration(string sql) => Verify.VerifyAnalyzerAsync(SqlMigration.UpCalls(sql, SqlMigration.NonTransactional));

    [Theory]
    [InlineData("SET LOCAL search_path = app, public")]
    [InlineData("SET ROLE NONE")]
    [InlineData("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE")]
    public Task DoesNotTrigger(string sql) => Verify.VerifyAnalyzerAsync(SqlMigration.UpCalls(sql));

    [Theory]
    [InlineData("SET statement_timeout = '1min' ;; UPDATE orders SET total = 0 WHERE total < 0 ;; RESET statement_timeout")]
    [InlineData("SET work_mem = '64MB' ;; RESET ALL")]
    public Task DoesNotTrigger_InNonTransactionalMigration(string sql) => Verify.VerifyAnalyzerAsync(SqlMigration.UpCalls(sql, SqlMigration.NonTransactional));
}
