using Verify = Stepwise.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Stepwise.Analyzers.Sql.PostgresSqlAnalyzer>;

namespace Stepwise.Analyzers.Tests.PostgreSql;

/// <summary>SW2026: a constraint added to an existing domain.</summary>
public sealed class DomainConstraintRuleTests
{
    [Theory]
    [InlineData("ALTER DOMAIN email {|SW2026:ADD CONSTRAINT email_has_at CHECK (VALUE LIKE '%@%')|}")]
    [InlineData("ALTER DOMAIN email {|SW2026:SET NOT NULL|}")]
    public Task Triggers(string sql) => Verify.VerifyAnalyzerAsync(SqlMigration.UpCalls(sql));

    [Theory]
    [InlineData("ALTER DOMAIN email ADD CONSTRAINT email_has_at CHECK (VALUE LIKE '%@%') NOT VALID")]
    [InlineData("CREATE DOMAIN email AS text ;; ALTER DOMAIN email SET NOT NULL")]
    public Task DoesNotTrigger(string sql) => Verify.VerifyAnalyzerAsync(SqlMigration.UpCalls(sql));

    [Fact]
    public Task InDown_DoesNotTrigger() => Verify.VerifyAnalyzerAsync(SqlMigration.DownCalls("ALTER DOMAIN email SET NOT NULL"));
}
