using Verify = Stepwise.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Stepwise.Analyzers.Sql.PostgresSqlAnalyzer>;

namespace Stepwise.Analyzers.Tests.PostgreSql;

/// <summary>SW2021: DROP DEFAULT in an upgrade.</summary>
public sealed class DropDefaultRuleTests
{
    [Theory]
    [InlineData("ALTER TABLE orders {|SW2021:ALTER COLUMN status DROP DEFAULT|}")]
    public Task Triggers(string sql) => Verify.VerifyAnalyzerAsync(SqlMigration.UpCalls(sql));

    [Theory]
    [InlineData("ALTER TABLE orders ALTER COLUMN status SET DEFAULT 'new'")]
    public Task DoesNotTrigger(string sql) => Verify.VerifyAnalyzerAsync(SqlMigration.UpCalls(sql));

    [Fact]
    public Task InDown_DoesNotTrigger() => Verify.VerifyAnalyzerAsync(SqlMigration.DownCalls("ALTER TABLE orders ALTER COLUMN status DROP DEFAULT"));
}
