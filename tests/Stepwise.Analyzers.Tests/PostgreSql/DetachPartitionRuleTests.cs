using Verify = Stepwise.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Stepwise.Analyzers.Sql.PostgresSqlAnalyzer>;

namespace Stepwise.Analyzers.Tests.PostgreSql;

/// <summary>SW2033: DETACH PARTITION without CONCURRENTLY.</summary>
public sealed class DetachPartitionRuleTests
{
    [Theory]
    [InlineData("ALTER TABLE events {|SW2033:DETACH PARTITION events_2020|}")]
    public Task Triggers(string sql) => Verify.VerifyAnalyzerAsync(SqlMigration.UpCalls(sql));

    [Theory]
    [InlineData("ALTER TABLE events DETACH PARTITION events_2020 FINALIZE")]
    public Task DoesNotTrigger(string sql) => Verify.VerifyAnalyzerAsync(SqlMigration.UpCalls(sql));

    [Theory]
    [InlineData("ALTER TABLE events DETACH PARTITION events_2020")]
    public Task DoesNotTrigger_InNewInstall(string sql) => Verify.VerifyAnalyzerAsync(SqlMigration.UpCalls(sql, "", SqlMigration.NewInstall));
}
