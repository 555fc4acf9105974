using Verify = Stepwise.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Stepwise.Analyzers.Sql.PostgresSqlAnalyzer>;

namespace Stepwise.Analyzers.Tests.PostgreSql;

/// <summary>SW2038: a 32- or 16-bit key or generated number.</summary>
public sealed class PreferBigintKeyRuleTests
{
    [Theory]
    [InlineData("CREATE TABLE IF NOT EXISTS users (id {|SW2038:integer|} PRIMARY KEY, name text)")]
    [InlineData("CREATE TABLE IF NOT EXISTS users (id {|SW2038:int|} GENERATED ALWAYS AS IDENTITY PRIMARY KEY)")]
    [InlineData("CREATE TABLE IF NOT EXISTS users (id {|SW2038:int4|} NOT NULL, CONSTRAINT users_pk PRIMARY KEY (id))")]
    [InlineData("CREATE TABLE IF NOT EXISTS codes (id {|SW2038:smallserial|} PRIMARY KEY)")]
    public Task Triggers_InNewInstall(string sql) => Verify.VerifyWithRuleAsync("SW2038", SqlMigration.UpCalls(sql, "", SqlMigration.NewInstall));

    [Theory]
    [InlineData("CREATE TABLE IF NOT EXISTS users (id bigint PRIMARY KEY, login_count integer)")]
    public Task DoesNotTrigger_InNewInstall(string sql) => Verify.VerifyWithRuleAsync("SW2038", SqlMigration.UpCalls(sql, "", SqlMigration.NewInstall));
}
