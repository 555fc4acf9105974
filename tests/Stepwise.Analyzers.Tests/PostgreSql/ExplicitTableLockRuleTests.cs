using Verify = Stepwise.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Stepwise.Analyzers.Sql.PostgresSqlAnalyzer>;

namespace Stepwise.Analyzers.Tests.PostgreSql;

/// <summary>SW2030: an explicit lock that blocks the application.</summary>
public sealed class ExplicitTableLockRuleTests
{
    [Theory]
    [InlineData("{|SW2030:LOCK TABLE orders|}")]
    [InlineData("{|SW2030:LOCK orders IN SHARE MODE|}")]
    [InlineData("{|SW2030:LOCK TABLE ONLY orders, invoices IN ACCESS EXCLUSIVE MODE NOWAIT|}")]
    public Task Triggers(string sql) => Verify.VerifyAnalyzerAsync(SqlMigration.UpCalls(sql));

    [Theory]
    [InlineData("LOCK TABLE orders IN ROW EXCLUSIVE MODE")]
    [InlineData("LOCK TABLE orders IN ACCESS SHARE MODE")]
    public Task DoesNotTrigger(string sql) => Verify.VerifyAnalyzerAsync(SqlMigration.UpCalls(sql));

    [Theory]
    [InlineData("LOCK TABLE orders")]
    public Task DoesNotTrigger_InNewInstall(string sql) => Verify.VerifyAnalyzerAsync(SqlMigration.UpCalls(sql, "", SqlMigration.NewInstall));
}
