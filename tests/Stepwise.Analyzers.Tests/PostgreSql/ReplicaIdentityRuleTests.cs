using Verify = Stepwise.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Stepwise.Analyzers.Sql.PostgresSqlAnalyzer>;

namespace Stepwise.Analyzers.Tests.PostgreSql;

/// <summary>SW2024: a changed replica identity.</summary>
public sealed class ReplicaIdentityRuleTests
{
    [Theory]
    [InlineData("ALTER TABLE orders {|SW2024:REPLICA IDENTITY FULL|}")]
    [InlineData("ALTER TABLE orders {|SW2024:REPLICA IDENTITY USING INDEX orders_number_key|}")]
    public Task Triggers(string sql) => Verify.VerifyAnalyzerAsync(SqlMigration.UpCalls(sql));

    [Theory]
    [InlineData("ALTER TABLE orders REPLICA IDENTITY FULL")]
    public Task DoesNotTrigger_InNewInstall(string sql) => Verify.VerifyAnalyzerAsync(SqlMigration.UpCalls(sql, "", SqlMigration.NewInstall));

    [Fact]
    public Task InDown_DoesNotTrigger() => Verify.VerifyAnalyzerAsync(SqlMigration.DownCalls("ALTER TABLE orders REPLICA IDENTITY DEFAULT"));
}
