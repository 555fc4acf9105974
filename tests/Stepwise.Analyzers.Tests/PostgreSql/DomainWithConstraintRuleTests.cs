using Verify = Stepwise.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Stepwise.Analyzers.Sql.PostgresSqlAnalyzer>;

namespace Stepwise.Analyzers.Tests.PostgreSql;

/// <summary>SW2045: domains created with a constraint.</summary>
public sealed class DomainWithConstraintRuleTests
{
    [Theory]
    [InlineData("{|SW2045:CREATE DOMAIN email AS text CHECK (VALUE LIKE '%@%')|}")]
    [InlineData("{|SW2045:CREATE DOMAIN quantity AS int NOT NULL|}")]
    public Task Triggers_InNewInstall(string sql) => Verify.VerifyWithRuleAsync("SW2045", SqlMigration.UpCalls(sql, "", SqlMigration.NewInstall));

    [Theory]
    [InlineData("CREATE DOMAIN email AS text")]
    public Task DoesNotTrigger_InNewInstall(string sql) => Verify.VerifyWithRuleAsync("SW2045", SqlMigration.UpCalls(sql, "", SqlMigration.NewInstall));
}
