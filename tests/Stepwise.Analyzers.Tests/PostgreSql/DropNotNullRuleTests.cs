using Verify = Stepwise.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Stepwise.Analyzers.Sql.PostgresSqlAnalyzer>;

namespace Stepwise.Analyzers.Tests.PostgreSql;

/// <summary>SW2020: DROP NOT NULL in an upgrade.</summary>
public sealed class DropNotNullRuleTests
{
    [Theory]
    [InlineData("ALTER TABLE orders {|SW2020:ALTER COLUMN status DROP NOT NULL|}")]
    public Task Triggers(string sql) => Verify.VerifyAnalyzerAsync(SqlMigration.UpCalls(sql));

    [Theory]
    [InlineData("ALTER TABLE orders ALTER COLUMN status DROP NOT NULL")]
    public Task DoesNotTrigger_InNewInstall(string sql) => Verify.VerifyAnalyzerAsync(SqlMigration.UpCalls(sql, "", SqlMigration.NewInstall));

    [Fact]
    public Task InDown_DoesNotTrigger() => Verify.VerifyAnalyzerAsync(SqlMigration.DownCalls("ALTER TABLE orders ALTER COLUMN status DROP NOT NULL"));
}
