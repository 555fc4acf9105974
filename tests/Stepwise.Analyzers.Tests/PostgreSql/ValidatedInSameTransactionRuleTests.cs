using Verify = Stepwise.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Stepwise.Analyzers.Sql.PostgresSqlAnalyzer>;

namespace Stepwise.Analyzers.Tests.PostgreSql;

/// <summary>SW2019: a NOT VALID constraint validated in the transaction that added it.</summary>
public sealed class ValidatedInSameTransactionRuleTests
{
    [Theory]
    [InlineData("ALTER TABLE orders ADD CONSTRAINT fk_user FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID; ALTER TABLE orders {|SW2019:VALIDATE CONSTRAINT fk_user|}")]
    [InlineData("ALTER TABLE orders ADD CONSTRAINT total_positive CHECK (total >= 0) NOT VALID ;; ALTER TABLE orders {|SW2019:VALIDATE CONSTRAINT total_positive|}")]
    public Task Triggers(string sql) => Verify.VerifyAnalyzerAsync(SqlMigration.UpCalls(sql));

    [Theory]
    [InlineData("ALTER TABLE orders VALIDATE CONSTRAINT fk_user")]
    [InlineData("ALTER TABLE orders ADD CONSTRAINT ok CHECK (total >= 0) NOT VALID ;; ALTER TABLE invoices VALIDATE CONSTRAINT ok")]
    public Task DoesNotTrigger(string sql) => Verify.VerifyAnalyzerAsync(SqlMigration.UpCalls(sql));

    [Theory]
    [InlineData("ALTER TABLE orders ADD CONSTRAINT total_positive CHECK (total >= 0) NOT VALID ;; ALTER TABLE orders VALIDATE CONSTRAINT total_positive")]
    public Task DoesNotTrigger_InNonTransactionalMigration(string sql) => Verify.VerifyAnalyzerAsync(SqlMigration.UpCalls(sql, SqlMigration.NonTransactional));
}
