using Verify = Stepwise.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Stepwise.Analyzers.Sql.PostgresSqlAnalyzer,
    Stepwise.Analyzers.CodeFixes.SetLocalCodeFixProvider>;

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

    [Theory]
    [InlineData("{|SW2034:SET search_path = app, public|}", "SET LOCAL search_path = app, public")]
    [InlineData("{|SW2034:SET SESSION statement_timeout = '1min'|}", "SET LOCAL statement_timeout = '1min'")]
    [InlineData("{|SW2034:set role migrator|}", "set LOCAL role migrator")]
    [InlineData("{|SW2034:SET SESSION AUTHORIZATION migrator|}", "SET LOCAL SESSION AUTHORIZATION migrator")]
    [InlineData("{|SW2034:SET  TIME ZONE 'Europe/Paris'|}", "SET LOCAL  TIME ZONE 'Europe/Paris'")]
    public Task Fix_MakesTheSettingLocal(string sql, string fixedSql) =>
        Verify.VerifyCodeFixAsync(SqlMigration.UpCalls(sql), SqlMigration.UpCalls(fixedSql), "SetLocal");

    [Fact]
    public Task Fix_IsNotOfferedInANonTransactionalMigration()
    {
        var source = SqlMigration.UpCalls("{|SW2034:SET work_mem = '64MB'|}", SqlMigration.NonTransactional);
        return Verify.VerifyCodeFixAsync(source, source, "SetLocal");
    }

    [Fact]
    public Task Fix_IsNotOfferedWhereTheSourceDoesNotReadAsTheSql()
    {
        // The tab is an escape sequence in the source: the text at the diagnostic is not the statement as sent.
        var source = SqlMigration.UpCalls("{|SW2034:SET\\twork_mem = '64MB'|}");
        return Verify.VerifyCodeFixAsync(source, source, "SetLocal");
    }
}
