using Verify = Stepwise.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Stepwise.Analyzers.Sql.PostgresSqlAnalyzer>;

namespace Stepwise.Analyzers.Tests.PostgreSql;

/// <summary>SW2044: tables created without a primary key.</summary>
public sealed class TableWithoutPrimaryKeyRuleTests
{
    [Theory]
    [InlineData("{|SW2044:CREATE TABLE|} IF NOT EXISTS audit (at timestamptz, what text)")]
    [InlineData("{|SW2044:CREATE UNLOGGED TABLE|} IF NOT EXISTS staging (id bigint UNIQUE)")]
    public Task Triggers_InNewInstall(string sql) => Verify.VerifyWithRuleAsync("SW2044", SqlMigration.UpCalls(sql, "", SqlMigration.NewInstall));

    [Theory]
    [InlineData("CREATE TABLE IF NOT EXISTS audit (id bigint PRIMARY KEY, what text)")]
    [InlineData("CREATE TABLE IF NOT EXISTS audit (id bigint, what text, CONSTRAINT audit_pk PRIMARY KEY (id))")]
    [InlineData("CREATE TEMP TABLE scratch (n int)")]
    [InlineData("CREATE TABLE IF NOT EXISTS audit_2026 PARTITION OF audit FOR VALUES FROM (1) TO (2)")]
    [InlineData("CREATE TABLE IF NOT EXISTS users_copy AS SELECT * FROM users")]
    public Task DoesNotTrigger_InNewInstall(string sql) => Verify.VerifyWithRuleAsync("SW2044", SqlMigration.UpCalls(sql, "", SqlMigration.NewInstall));
}
