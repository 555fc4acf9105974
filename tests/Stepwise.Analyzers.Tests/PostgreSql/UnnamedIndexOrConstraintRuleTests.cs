using Verify = Stepwise.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Stepwise.Analyzers.Sql.PostgresSqlAnalyzer>;

namespace Stepwise.Analyzers.Tests.PostgreSql;

/// <summary>SW2036: an index or constraint without a name.</summary>
public sealed class UnnamedIndexOrConstraintRuleTests
{
    [Theory]
    [InlineData("ALTER TABLE orders {|SW2036:ADD FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID|}")]
    public Task Triggers(string sql) => Verify.VerifyAnalyzerAsync(SqlMigration.UpCalls(sql));

    [Theory]
    [InlineData("{|SW2013:{|SW2036:CREATE INDEX CONCURRENTLY|}|} ON orders (status)")]
    public Task Triggers_InNonTransactionalMigration(string sql) => Verify.VerifyAnalyzerAsync(SqlMigration.UpCalls(sql, SqlMigration.NonTransactional));

    [Theory]
    [InlineData("ALTER TABLE orders ADD CONSTRAINT fk_user FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID")]
    [InlineData("ALTER TABLE orders ADD PRIMARY KEY USING INDEX orders_pk")]
    [InlineData("ALTER TABLE orders ADD UNIQUE USING INDEX orders_number_key")]
    [InlineData("CREATE TABLE IF NOT EXISTS items (id bigint PRIMARY KEY, order_id bigint REFERENCES orders (id))")]
    public Task DoesNotTrigger(string sql) => Verify.VerifyAnalyzerAsync(SqlMigration.UpCalls(sql));
}
