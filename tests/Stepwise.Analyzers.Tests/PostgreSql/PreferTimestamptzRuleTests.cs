using Verify = Stepwise.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Stepwise.Analyzers.Sql.PostgresSqlAnalyzer>;

namespace Stepwise.Analyzers.Tests.PostgreSql;

/// <summary>SW2041: timestamp without time zone columns.</summary>
public sealed class PreferTimestamptzRuleTests
{
    [Theory]
    [InlineData("CREATE TABLE IF NOT EXISTS events (id bigint PRIMARY KEY, at {|SW2041:timestamp|})")]
    public Task Triggers_InNewInstall(string sql) => Verify.VerifyWithRuleAsync("SW2041", SqlMigration.UpCalls(sql, "", SqlMigration.NewInstall));

    [Theory]
    [InlineData("ALTER TABLE events ADD COLUMN IF NOT EXISTS seen {|SW2041:timestamp(3) without time zone|}")]
    public Task Triggers(string sql) => Verify.VerifyWithRuleAsync("SW2041", SqlMigration.UpCalls(sql));

    [Theory]
    [InlineData("CREATE TABLE IF NOT EXISTS events (id bigint PRIMARY KEY, at timestamptz, seen timestamp with time zone)")]
    public Task DoesNotTrigger_InNewInstall(string sql) => Verify.VerifyWithRuleAsync("SW2041", SqlMigration.UpCalls(sql, "", SqlMigration.NewInstall));
}
