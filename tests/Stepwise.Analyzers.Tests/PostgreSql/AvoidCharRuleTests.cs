using Verify = Stepwise.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Stepwise.Analyzers.Sql.PostgresSqlAnalyzer>;

namespace Stepwise.Analyzers.Tests.PostgreSql;

/// <summary>SW2042: char(n) columns.</summary>
public sealed class AvoidCharRuleTests
{
    [Theory]
    [InlineData("CREATE TABLE IF NOT EXISTS countries (code {|SW2042:char(2)|} PRIMARY KEY)")]
    public Task Triggers_InNewInstall(string sql) => Verify.VerifyWithRuleAsync("SW2042", SqlMigration.UpCalls(sql, "", SqlMigration.NewInstall));

    [Theory]
    [InlineData("ALTER TABLE countries ADD COLUMN IF NOT EXISTS flag {|SW2042:character|}")]
    public Task Triggers(string sql) => Verify.VerifyWithRuleAsync("SW2042", SqlMigration.UpCalls(sql));

    [Theory]
    [InlineData("CREATE TABLE IF NOT EXISTS countries (code text PRIMARY KEY, name character varying(40))")]
    public Task DoesNotTrigger_InNewInstall(string sql) => Verify.VerifyWithRuleAsync("SW2042", SqlMigration.UpCalls(sql, "", SqlMigration.NewInstall));
}
