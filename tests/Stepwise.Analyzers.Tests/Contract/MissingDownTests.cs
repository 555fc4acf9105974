using Verify = Stepwise.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Stepwise.Analyzers.Contract.MigrationMembersAnalyzer,
    Stepwise.Analyzers.CodeFixes.AddMigrationMemberCodeFixProvider>;
using VerifyAnalyzer = Stepwise.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Stepwise.Analyzers.Contract.MigrationMembersAnalyzer>;

namespace Stepwise.Analyzers.Tests.Contract;

public sealed class MissingDownTests
{
    private const string RequireRollback = """
        apiVersion: v1
        kind: ProjectConfig
        spec:
          migration:
            policies:
              require_rollback: true   # every release must be able to roll back
              require_validation: true
        """;

    [Fact]
    public Task MissingDown_Triggers() => Verify.VerifyAnalyzerAsync("""
        [Migration("1.1.0", 1)]
        public sealed class {|SW1001:AddOrders|} : PostgresMigration
        {
            public override async Task PreCheck(PostgresContext db, CancellationToken ct) => Require(!await db.TableExistsAsync("orders", ct), "no orders table yet");
            public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("CREATE TABLE IF NOT EXISTS orders (id bigint)", ct);
            public override async Task Validate(PostgresContext db, CancellationToken ct) => Require(await db.TableExistsAsync("orders", ct), "orders exists");
        }
        """);

    [Fact]
    public Task DownWithRealBody_DoesNotTrigger() => Verify.VerifyAnalyzerAsync("""
        [Migration("1.1.0", 1)]
        public sealed class AddOrders : PostgresMigration
        {
            public override async Task PreCheck(PostgresContext db, CancellationToken ct) => Require(!await db.TableExistsAsync("orders", ct), "no orders table yet");
            public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("CREATE TABLE IF NOT EXISTS orders (id bigint)", ct);
            public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("DROP TABLE orders", ct);
            public override async Task Validate(PostgresContext db, CancellationToken ct) => Require(await db.TableExistsAsync("orders", ct), "orders exists");
        }
        """);

    [Theory]
    [InlineData("=> Task.CompletedTask;")]
    [InlineData("{ return Task.CompletedTask; }")]
    [InlineData("=> throw new NotImplementedException();")]
    [InlineData("{ throw new NotSupportedException(\"later\"); }")]
    [InlineData("{ throw new IrreversibleMigrationException(); }")]
    [InlineData("=> base.Down(db, ct);")]
    [InlineData("{ ct.ThrowIfCancellationRequested(); return Task.CompletedTask; }")]
    [InlineData("{ /* nothing to undo */ return System.Threading.Tasks.Task.CompletedTask; }")]
    public Task DownWithPlaceholderBody_Triggers(string body) => Verify.VerifyAnalyzerAsync($$"""
        [Migration("1.1.0", 1)]
        public sealed class AddOrders : PostgresMigration
        {
            public override async Task PreCheck(PostgresContext db, CancellationToken ct) => Require(!await db.TableExistsAsync("orders", ct), "no orders table yet");
            public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("CREATE TABLE IF NOT EXISTS orders (id bigint)", ct);
            public override Task {|SW1001:Down|}(PostgresContext db, CancellationToken ct) {{body}}
            public override async Task Validate(PostgresContext db, CancellationToken ct) => Require(await db.TableExistsAsync("orders", ct), "orders exists");
        }
        """);

    [Fact]
    public Task EmptyAsyncDown_Triggers() => Verify.VerifyAnalyzerAsync("""
        [Migration("1.1.0", 1)]
        public sealed class AddOrders : PostgresMigration
        {
            public override async Task PreCheck(PostgresContext db, CancellationToken ct) => Require(!await db.TableExistsAsync("orders", ct), "no orders table yet");
            public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("CREATE TABLE IF NOT EXISTS orders (id bigint)", ct);
            public override async Task {|SW1001:Down|}(PostgresContext db, CancellationToken ct) { }
            public override async Task Validate(PostgresContext db, CancellationToken ct) => Require(await db.TableExistsAsync("orders", ct), "orders exists");
        }
        """);

    [Fact]
    public Task AsyncDownAwaitingCompletedTask_Triggers() => Verify.VerifyAnalyzerAsync("""
        [Migration("1.1.0", 1)]
        public sealed class AddOrders : PostgresMigration
        {
            public override async Task PreCheck(PostgresContext db, CancellationToken ct) => Require(!await db.TableExistsAsync("orders", ct), "no orders table yet");
            public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("CREATE TABLE IF NOT EXISTS orders (id bigint)", ct);
            public override async Task {|SW1001:Down|}(PostgresContext db, CancellationToken ct) { await Task.CompletedTask; }
            public override async Task Validate(PostgresContext db, CancellationToken ct) => Require(await db.TableExistsAsync("orders", ct), "orders exists");
        }
        """);

    [Fact]
    public Task IrreversibleWithReason_DoesNotTrigger() => Verify.VerifyAnalyzerAsync("""
        [Migration("1.1.0", 1)]
        [Irreversible("the old prices are recomputed and cannot be restored")]
        public sealed class RecomputePrices : PostgresMigration
        {
            public override async Task PreCheck(PostgresContext db, CancellationToken ct) => Require(await db.TableExistsAsync("prices", ct), "prices exists");
            public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("UPDATE prices SET amount = amount * 100", ct);
            public override async Task Validate(PostgresContext db, CancellationToken ct) => Require(await db.ScalarAsync<long>("SELECT count(*) FROM prices WHERE amount < 0", ct) == 0, "no negative prices");
        }
        """);

    [Fact]
    public Task IrreversibleWhenPolicyRequiresRollback_TriggersBoth() => VerifyAnalyzer.VerifyWithPolicyAsync(RequireRollback, """
        [Migration("1.1.0", 1)]
        [{|SW1004:Irreversible("the old prices are recomputed and cannot be restored")|}]
        public sealed class {|SW1001:RecomputePrices|} : PostgresMigration
        {
            public override async Task PreCheck(PostgresContext db, CancellationToken ct) => Require(await db.TableExistsAsync("prices", ct), "prices exists");
            public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("UPDATE prices SET amount = amount * 100", ct);
            public override async Task Validate(PostgresContext db, CancellationToken ct) => Require(await db.ScalarAsync<long>("SELECT count(*) FROM prices WHERE amount < 0", ct) == 0, "no negative prices");
        }
        """);

    [Fact]
    public Task DownInheritedFromSourceBaseClass_DoesNotTrigger() => Verify.VerifyAnalyzerAsync("""
        public abstract class CreateTableMigration : PostgresMigration
        {
            protected abstract string Table { get; }
            public override async Task PreCheck(PostgresContext db, CancellationToken ct) => Require(!await db.TableExistsAsync(Table, ct), "table absent");
            public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("DROP TABLE IF EXISTS " + nameof(Table), ct);
            public override async Task Validate(PostgresContext db, CancellationToken ct) => Require(await db.TableExistsAsync(Table, ct), "table exists");
        }

        [Migration("1.1.0", 1)]
        public sealed class AddOrders : CreateTableMigration
        {
            protected override string Table => "orders";
            public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("CREATE TABLE IF NOT EXISTS orders (id bigint)", ct);
        }
        """);

    [Fact]
    public Task PlaceholderDownInheritedFromSourceBaseClass_Triggers() => Verify.VerifyAnalyzerAsync("""
        public abstract class LazyMigration : PostgresMigration
        {
            public override Task Down(PostgresContext db, CancellationToken ct) => Task.CompletedTask;
        }

        [Migration("1.1.0", 1)]
        public sealed class {|SW1001:AddOrders|} : LazyMigration
        {
            public override async Task PreCheck(PostgresContext db, CancellationToken ct) => Require(!await db.TableExistsAsync("orders", ct), "no orders table yet");
            public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("CREATE TABLE IF NOT EXISTS orders (id bigint)", ct);
            public override async Task Validate(PostgresContext db, CancellationToken ct) => Require(await db.TableExistsAsync("orders", ct), "orders exists");
        }
        """);

    [Fact]
    public Task MissingDown_FixAddsSkeletonThatStillFails() => Verify.VerifyCodeFixAsync(
        """
        [Migration("1.1.0", 1)]
        public sealed class {|SW1001:AddOrders|} : PostgresMigration
        {
            public override async Task PreCheck(PostgresContext db, CancellationToken ct) => Require(!await db.TableExistsAsync("orders", ct), "no orders table yet");

            public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("CREATE TABLE IF NOT EXISTS orders (id bigint)", ct);

            public override async Task Validate(PostgresContext db, CancellationToken ct) => Require(await db.TableExistsAsync("orders", ct), "orders exists");
        }
        """,
        """
        [Migration("1.1.0", 1)]
        public sealed class AddOrders : PostgresMigration
        {
            public override async Task PreCheck(PostgresContext db, CancellationToken ct) => Require(!await db.TableExistsAsync("orders", ct), "no orders table yet");

            public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("CREATE TABLE IF NOT EXISTS orders (id bigint)", ct);

            public override Task {|SW1001:Down|}(PostgresContext db, CancellationToken ct)
            {
                // TODO: revert exactly what Up does. The build fails (SW1001) until this throw is replaced.
                throw new NotImplementedException();
            }

            public override async Task Validate(PostgresContext db, CancellationToken ct) => Require(await db.TableExistsAsync("orders", ct), "orders exists");
        }
        """,
        "AddDown");
}
