using Verify = Stepwise.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Stepwise.Analyzers.Sql.PostgresSqlAnalyzer>;

namespace Stepwise.Analyzers.Tests.PostgreSql;

/// <summary>SW2040: varchar(n) columns.</summary>
public sealed class PreferTextRuleTests
{
    [Theory]
    [InlineData("CREATE TABLE IF NOT EXISTS users (id bigint PRIMARY KEY, name {|SW2040:varchar(100)|})")]
    public Task Triggers_InNewInstall(string sql) => Verify.VerifyWithRuleAsync("SW2040", SqlMigration.UpCalls(sql, "", SqlMigration.NewInstall));

    [Theory]
    [InlineData("ALTER TABLE users ADD COLUMN IF NOT EXISTS nick {|SW2040:character varying(20)|}")]
    public Task Triggers(string sql) => Verify.VerifyWithRuleAsync("SW2040", SqlMigration.UpCalls(sql));

    [Theory]
    [InlineData("CREATE TABLE IF NOT EXISTS users (id bigint PRIMARY KEY, name varchar, bio text)")]
    public Task DoesNotTrigger_InNewInstall(string sql) => Verify.VerifyWithRuleAsync("SW2040", SqlMigration.UpCalls(sql, "", SqlMigration.NewInstall));
}
