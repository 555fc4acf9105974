using Verify = Stepwise.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Stepwise.Analyzers.Sql.PostgresSqlAnalyzer>;

namespace Stepwise.Analyzers.Tests.PostgreSql;

/// <summary>SW2022: DDL on an existing table without a lock_timeout.</summary>
public sealed class MissingLockTimeoutRuleTests
{
    [Theory]
    [InlineData("{|SW2022:ALTER TABLE|} orders ADD COLUMN IF NOT EXISTS note text ;; ALTER TABLE orders ADD COLUMN IF NOT EXISTS tag text")]
    [InlineData("SET LOCAL lock_timeout = '2s' ;; RESET lock_timeout ;; {|SW2022:ALTER TABLE|} orders ADD COLUMN IF NOT EXISTS note text")]
    public Task Triggers(string sql) => Verify.VerifyWithRuleAsync("SW2022", SqlMigration.UpCalls(sql));

    [Theory]
    [InlineData("SET LOCAL lock_timeout = '0' ;; {|SW2022:TRUNCATE|} carts")]
    public Task Triggers_InDestructiveMigration(string sql) => Verify.VerifyWithRuleAsync("SW2022", SqlMigration.UpCalls(sql, "[Destructive(\"carts are rebuilt from orders\")]"));

    [Theory]
    [InlineData("SET LOCAL lock_timeout = '2s' ;; ALTER TABLE orders ADD COLUMN IF NOT EXISTS note text")]
    [InlineData("SET LOCAL lock_timeout = '2s'; ALTER TABLE orders ADD COLUMN IF NOT EXISTS note text")]
    [InlineData("ALTER TABLE orders VALIDATE CONSTRAINT fk_user")]
    public Task DoesNotTrigger(string sql) => Verify.VerifyWithRuleAsync("SW2022", SqlMigration.UpCalls(sql));

    [Theory]
    [InlineData("ALTER TABLE orders ADD COLUMN IF NOT EXISTS note text")]
    public Task DoesNotTrigger_InNewInstall(string sql) => Verify.VerifyWithRuleAsync("SW2022", SqlMigration.UpCalls(sql, "", SqlMigration.NewInstall));
}
