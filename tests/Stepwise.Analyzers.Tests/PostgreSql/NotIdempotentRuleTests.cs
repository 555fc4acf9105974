using Verify = Stepwise.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Stepwise.Analyzers.Sql.PostgresSqlAnalyzer,
    Stepwise.Analyzers.CodeFixes.AddIfNotExistsCodeFixProvider>;

namespace Stepwise.Analyzers.Tests.PostgreSql;

/// <summary>SW2013's code fix: IF NOT EXISTS. The rule's own cases are in <see cref="IndexRulesTests"/>.</summary>
public sealed class NotIdempotentRuleTests
{
    private const string Table = "CREATE TABLE IF NOT EXISTS orders (id bigint PRIMARY KEY, status text)";

    [Theory]
    [InlineData("{|SW2013:CREATE TABLE|} orders (id bigint PRIMARY KEY)", "CREATE TABLE IF NOT EXISTS orders (id bigint PRIMARY KEY)")]
    [InlineData("{|SW2013:create unlogged table|} staging (id bigint)", "create unlogged table IF NOT EXISTS staging (id bigint)")]
    [InlineData(Table + " ;; {|SW2013:CREATE UNIQUE INDEX|} ix_orders_status ON orders (status)", Table + " ;; CREATE UNIQUE INDEX IF NOT EXISTS ix_orders_status ON orders (status)")]
    public Task Fix_AddsIfNotExists(string sql, string fixedSql) =>
        Verify.VerifyCodeFixAsync(SqlMigration.UpCalls(sql), SqlMigration.UpCalls(fixedSql), "AddIfNotExists");

    [Theory]
    [InlineData(Table + " ;; {|SW2013:{|SW2036:CREATE INDEX|}|} ON orders (status)")]
    [InlineData("{|SW2013:CREATE\\tTABLE|} orders (id bigint PRIMARY KEY)")]
    public Task Fix_IsNotOffered_WithoutAnIndexNameOrWhereTheSourceDoesNotReadAsTheSql(string sql)
    {
        var source = SqlMigration.UpCalls(sql);
        return Verify.VerifyCodeFixAsync(source, source, "AddIfNotExists");
    }

    [Fact]
    public Task Fix_IsNotOffered_ForAConcurrentBuild()
    {
        var source = SqlMigration.UpCalls("{|SW2013:CREATE INDEX CONCURRENTLY|} ix_orders_status ON orders (status)", SqlMigration.NonTransactional);
        return Verify.VerifyCodeFixAsync(source, source, "AddIfNotExists");
    }
}
