using Verify = Stepwise.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Stepwise.Analyzers.Sql.PostgresSqlAnalyzer>;

namespace Stepwise.Analyzers.Tests.PostgreSql;

/// <summary>SW2039: serial columns.</summary>
public sealed class PreferIdentityRuleTests
{
    [Theory]
    [InlineData("CREATE TABLE IF NOT EXISTS users (id {|SW2039:bigserial|} PRIMARY KEY)")]
    public Task Triggers_InNewInstall(string sql) => Verify.VerifyWithRuleAsync("SW2039", SqlMigration.UpCalls(sql, "", SqlMigration.NewInstall));

    [Theory]
    [InlineData("CREATE TABLE IF NOT EXISTS users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY)")]
    public Task DoesNotTrigger_InNewInstall(string sql) => Verify.VerifyWithRuleAsync("SW2039", SqlMigration.UpCalls(sql, "", SqlMigration.NewInstall));
}
