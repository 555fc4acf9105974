using Verify = Stepwise.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Stepwise.Analyzers.Sql.PostgresSqlAnalyzer>;

namespace Stepwise.Analyzers.Tests.PostgreSql;

/// <summary>SW2017: an exclusion constraint added to an existing table.</summary>
public sealed class ExclusionConstraintRuleTests
{
    [Theory]
    [InlineData("ALTER TABLE bookings {|SW2017:ADD CONSTRAINT no_overlap EXCLUDE USING gist (room WITH =, during WITH &&)|}")]
    public Task Triggers(string sql) => Verify.VerifyAnalyzerAsync(SqlMigration.UpCalls(sql));

    [Theory]
    [InlineData("CREATE TABLE IF NOT EXISTS bookings (id bigint PRIMARY KEY, room int, during tstzrange) ;; ALTER TABLE bookings ADD CONSTRAINT no_overlap EXCLUDE USING gist (room WITH =, during WITH &&)")]
    public Task DoesNotTrigger(string sql) => Verify.VerifyAnalyzerAsync(SqlMigration.UpCalls(sql));

    [Theory]
    [InlineData("ALTER TABLE bookings ADD CONSTRAINT no_overlap EXCLUDE USING gist (room WITH =, during WITH &&)")]
    public Task DoesNotTrigger_InNewInstall(string sql) => Verify.VerifyAnalyzerAsync(SqlMigration.UpCalls(sql, "", SqlMigration.NewInstall));
}
