using Verify = Stepwise.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Stepwise.Analyzers.Sql.PostgresSqlAnalyzer>;

namespace Stepwise.Analyzers.Tests.PostgreSql;

/// <summary>SW2043: json columns.</summary>
public sealed class PreferJsonbRuleTests
{
    [Theory]
    [InlineData("CREATE TABLE IF NOT EXISTS events (id bigint PRIMARY KEY, payload {|SW2043:json|})")]
    public Task Triggers_InNewInstall(string sql) => Verify.VerifyWithRuleAsync("SW2043", SqlMigration.UpCalls(sql, "", SqlMigration.NewInstall));

    [Theory]
    [InlineData("CREATE TABLE IF NOT EXISTS events (id bigint PRIMARY KEY, payload jsonb)")]
    public Task DoesNotTrigger_InNewInstall(string sql) => Verify.VerifyWithRuleAsync("SW2043", SqlMigration.UpCalls(sql, "", SqlMigration.NewInstall));
}
