using Verify = Stepwise.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Stepwise.Analyzers.Sql.PostgresSqlAnalyzer>;

namespace Stepwise.Analyzers.Tests.PostgreSql;

/// <summary>SW2025: row-level security turned off.</summary>
public sealed class RowSecurityTurnedOffRuleTests
{
    [Theory]
    [InlineData("ALTER TABLE orders {|SW2025:DISABLE ROW LEVEL SECURITY|}")]
    [InlineData("ALTER TABLE orders {|SW2025:NO FORCE ROW LEVEL SECURITY|}")]
    public Task Triggers(string sql) => Verify.VerifyAnalyzerAsync(SqlMigration.UpCalls(sql));

    [Theory]
    [InlineData("ALTER TABLE orders ENABLE ROW LEVEL SECURITY")]
    [InlineData("ALTER TABLE orders FORCE ROW LEVEL SECURITY")]
    public Task DoesNotTrigger(string sql) => Verify.VerifyAnalyzerAsync(SqlMigration.UpCalls(sql));

    // Off and on again in the same transaction: no other session sees the table without it.
    [Theory]
    [InlineData("ALTER TABLE orders DISABLE ROW LEVEL SECURITY ;; ALTER TABLE orders ENABLE ROW LEVEL SECURITY")]
    [InlineData("ALTER TABLE orders NO FORCE ROW LEVEL SECURITY ;; ALTER TABLE orders FORCE ROW LEVEL SECURITY")]
    public Task TurnedOnAgainLater_DoesNotTrigger(string sql) => Verify.VerifyAnalyzerAsync(SqlMigration.UpCalls(sql));

    [Theory]
    [InlineData("ALTER TABLE orders ENABLE ROW LEVEL SECURITY ;; ALTER TABLE orders {|SW2025:DISABLE ROW LEVEL SECURITY|}")]
    [InlineData("ALTER TABLE orders {|SW2025:NO FORCE ROW LEVEL SECURITY|} ;; ALTER TABLE orders ENABLE ROW LEVEL SECURITY")]
    [InlineData("ALTER TABLE orders {|SW2025:DISABLE ROW LEVEL SECURITY|} ;; ALTER TABLE invoices ENABLE ROW LEVEL SECURITY")]
    public Task TurnedOnBeforeOnlyOrAnotherWay_Triggers(string sql) => Verify.VerifyAnalyzerAsync(SqlMigration.UpCalls(sql));

    [Fact]
    public Task TurnedOnAgainInANonTransactionalMigration_Triggers() => Verify.VerifyAnalyzerAsync(SqlMigration.UpCalls(
        "ALTER TABLE orders {|SW2025:DISABLE ROW LEVEL SECURITY|} ;; ALTER TABLE orders ENABLE ROW LEVEL SECURITY", SqlMigration.NonTransactional));

    [Fact]
    public Task InDown_DoesNotTrigger() => Verify.VerifyAnalyzerAsync(SqlMigration.DownCalls("ALTER TABLE orders DISABLE ROW LEVEL SECURITY"));
}
