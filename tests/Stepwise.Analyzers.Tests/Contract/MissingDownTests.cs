using Verify = Stepwise.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Stepwise.Analyzers.Contract.MigrationMembersAnalyzer>;

namespace Stepwise.Analyzers.Tests.Contract;

public sealed class MissingDownTests
{
    [Fact]
    public Task MissingDown_Triggers() => Verify.VerifyAnalyzerAsync("""
        [Migration("1.1.0", 1)]
        public sealed class {|SW1001:AddOrders|} : PostgresMigration
        {
            public override Task PreCheck(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("SELECT 1", ct);
            public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("CREATE TABLE IF NOT EXISTS orders (id bigint)", ct);
            public override async Task Validate(PostgresContext db, CancellationToken ct) => Require(await db.TableExistsAsync("orders", ct), "orders exists");
        }
        """);

    [Fact]
    public Task DownWithRealBody_DoesNotTrigger() => Verify.VerifyAnalyzerAsync("""
        [Migration("1.1.0", 1)]
        public sealed class AddOrders : PostgresMigration
        {
            public override Task PreCheck(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("SELECT 1", ct);
            public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("CREATE TABLE IF NOT EXISTS orders (id bigint)", ct);
            public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("DROP TABLE orders", ct);
            public override async Task Validate(PostgresContext db, CancellationToken ct) => Require(await db.TableExistsAsync("orders", ct), "orders exists");
        }
        """);
}
