using Verify = Stepwise.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Stepwise.Analyzers.Sql.PostgresSqlAnalyzer>;

namespace Stepwise.Analyzers.Tests.PostgreSql;

/// <summary>SW2014: SQL assembled from values only known at run time.</summary>
public sealed class NonConstantSqlTests
{
    [Fact]
    public Task InterpolatedVariable_Triggers() => Verify.VerifyAnalyzerAsync(SqlMigration.Up("""
        var status = Environment.GetEnvironmentVariable("STATUS");
        await db.ExecuteAsync($"UPDATE orders SET status = '{{|SW2014:status|}}' WHERE status IS NULL", ct);
        """));

    [Fact]
    public Task ConcatenatedVariable_Triggers() => Verify.VerifyAnalyzerAsync(SqlMigration.Up("""
        var table = Environment.GetEnvironmentVariable("TABLE") ?? "orders";
        await db.ExecuteAsync("DELETE FROM " + {|SW2014:table|} + " WHERE expired", ct);
        """));

    [Fact]
    public Task StatementAroundTheHole_IsStillChecked() => Verify.VerifyAnalyzerAsync(SqlMigration.Up("""
        var column = Environment.GetEnvironmentVariable("COLUMN");
        await db.ExecuteAsync({|SW2005:$"ALTER TABLE orders ADD COLUMN {{|SW2014:column|}} text NOT NULL"|}, ct);
        """));

    [Fact]
    public Task ParametersAndConstants_DoNotTrigger() => Verify.VerifyAnalyzerAsync(SqlMigration.Up("""
        const string Table = "orders";
        var status = Environment.GetEnvironmentVariable("STATUS");
        await db.ExecuteAsync($"UPDATE {Table} SET status = @status WHERE {nameof(status)} IS NOT NULL", new { status }, ct);
        await db.ExecuteAsync("UPDATE " + Table + " SET status = 'new' WHERE status IS NULL", ct);
        var rows = await db.QueryAsync<long>("SELECT id FROM orders WHERE status = $1", ct);
        """));

    [Fact]
    public Task QuotedSqlIdentifier_DoesNotTrigger() => Verify.VerifyAnalyzerAsync(SqlMigration.Up("""
        SqlIdentifier? backup = SqlIdentifier.Quote(Environment.GetEnvironmentVariable("TABLE") ?? "orders");
        var table = SqlIdentifier.Quote("orders");
        await db.ExecuteAsync($"UPDATE orders AS o SET status = b.status FROM {backup} AS b WHERE o.id = b.id", ct);
        await db.ExecuteAsync("DELETE FROM " + table + " WHERE expired", ct);
        """));

    [Fact]
    public Task SqlFromVariableOfUnknownValue_IsNotGuessed() => Verify.VerifyAnalyzerAsync(SqlMigration.Up("""
        var sql = "VACUUM";
        await db.ExecuteAsync(sql, ct);
        """));
}
