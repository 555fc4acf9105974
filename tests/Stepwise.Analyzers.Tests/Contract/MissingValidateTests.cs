using Verify = Stepwise.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Stepwise.Analyzers.Contract.MigrationMembersAnalyzer,
    Stepwise.Analyzers.CodeFixes.AddMigrationMemberCodeFixProvider>;
using VerifyAnalyzer = Stepwise.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Stepwise.Analyzers.Contract.MigrationMembersAnalyzer>;

namespace Stepwise.Analyzers.Tests.Contract;

public sealed class MissingValidateTests
{
    [Fact]
    public Task MissingValidate_Triggers() => Verify.VerifyAnalyzerAsync("""
        [Migration("1.1.0", 1)]
        public sealed class {|SW1002:AddOrders|} : PostgresMigration
        {
            public override async Task PreCheck(PostgresContext db, CancellationToken ct) => Require(!await db.TableExistsAsync("orders", ct), "no orders table yet");
            public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("CREATE TABLE IF NOT EXISTS orders (id bigint)", ct);
            public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("DROP TABLE orders", ct);
        }
        """);

    // A check must be able to fail: use the context, call Require, or throw under a condition (here or in a helper).
    [Theory]
    [InlineData("{ Console.WriteLine(\"orders validated\"); return Task.CompletedTask; }")]
    [InlineData("{ var expected = 1; Console.WriteLine(expected); return Task.CompletedTask; }")]
    [InlineData("=> Report();")]
    public Task ValidateThatCanNeverFail_Triggers(string body) => VerifyAnalyzer.VerifyAnalyzerAsync($$"""
        [Migration("1.1.0", 1)]
        public sealed class AddOrders : PostgresMigration
        {
            public override async Task PreCheck(PostgresContext db, CancellationToken ct) => Require(!await db.TableExistsAsync("orders", ct), "no orders table yet");
            public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("CREATE TABLE IF NOT EXISTS orders (id bigint)", ct);
            public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("DROP TABLE orders", ct);
            public override Task {|SW1002:Validate|}(PostgresContext db, CancellationToken ct) {{body}}

            private static Task Report()
            {
                Console.WriteLine("done");
                return Task.CompletedTask;
            }
        }
        """);

    [Theory]
    [InlineData("{ var rows = 2; if (rows > 1) throw new MigrationCheckException(\"one row\", $\"{rows} rows\"); return Task.CompletedTask; }")]
    [InlineData("=> Check(ct);")]
    [InlineData("=> Task.FromException(new MigrationCheckException(\"never valid\"));")]
    public Task ValidateThatCanFail_DoesNotTrigger(string body) => VerifyAnalyzer.VerifyAnalyzerAsync($$"""
        [Migration("1.1.0", 1)]
        public sealed class AddOrders : PostgresMigration
        {
            public override async Task PreCheck(PostgresContext db, CancellationToken ct) => Require(!await db.TableExistsAsync("orders", ct), "no orders table yet");
            public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("CREATE TABLE IF NOT EXISTS orders (id bigint)", ct);
            public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("DROP TABLE orders", ct);
            public override Task Validate(PostgresContext db, CancellationToken ct) {{body}}

            private static Task Check(CancellationToken ct) => ct.IsCancellationRequested ? throw new OperationCanceledException() : Task.CompletedTask;
        }
        """);

    [Fact]
    public Task ValidateWithRequire_DoesNotTrigger() => Verify.VerifyAnalyzerAsync("""
        [Migration("1.1.0", 1)]
        public sealed class AddOrders : PostgresMigration
        {
            public override async Task PreCheck(PostgresContext db, CancellationToken ct) => Require(!await db.TableExistsAsync("orders", ct), "no orders table yet");
            public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("CREATE TABLE IF NOT EXISTS orders (id bigint)", ct);
            public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("DROP TABLE orders", ct);
            public override async Task Validate(PostgresContext db, CancellationToken ct)
            {
                var columns = await db.QueryAsync<string>("SELECT column_name FROM information_schema.columns WHERE table_name = 'orders'", ct);
                Require(columns.Count == 1, "orders has one column");
            }
        }
        """);

    [Fact]
    public Task ValidateReturningCompletedTask_Triggers() => Verify.VerifyAnalyzerAsync("""
        [Migration("1.1.0", 1)]
        public sealed class AddOrders : PostgresMigration
        {
            public override async Task PreCheck(PostgresContext db, CancellationToken ct) => Require(!await db.TableExistsAsync("orders", ct), "no orders table yet");
            public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("CREATE TABLE IF NOT EXISTS orders (id bigint)", ct);
            public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("DROP TABLE orders", ct);
            public override Task {|SW1002:Validate|}(PostgresContext db, CancellationToken ct) => Task.CompletedTask;
        }
        """);

    [Fact]
    public Task PolicyWaivesValidation_DoesNotTrigger() => VerifyAnalyzer.VerifyWithPolicyAsync(
        """
        spec:
          migration:
            policies: { require_rollback: true, require_validation: false }
        """,
        """
        [Migration("1.1.0", 1)]
        public sealed class AddOrders : PostgresMigration
        {
            public override async Task PreCheck(PostgresContext db, CancellationToken ct) => Require(!await db.TableExistsAsync("orders", ct), "no orders table yet");
            public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("CREATE TABLE IF NOT EXISTS orders (id bigint)", ct);
            public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("DROP TABLE orders", ct);
        }
        """);

    [Fact]
    public Task PolicyRequiringValidation_Triggers() => VerifyAnalyzer.VerifyWithPolicyAsync(
        """
        spec:
          migration:
            policies:
              require_validation: true
        """,
        """
        [Migration("1.1.0", 1)]
        public sealed class {|SW1002:AddOrders|} : PostgresMigration
        {
            public override async Task PreCheck(PostgresContext db, CancellationToken ct) => Require(!await db.TableExistsAsync("orders", ct), "no orders table yet");
            public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("CREATE TABLE IF NOT EXISTS orders (id bigint)", ct);
            public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("DROP TABLE orders", ct);
        }
        """);

    [Fact]
    public Task MissingValidate_FixAddsSkeletonAfterDown() => Verify.VerifyCodeFixAsync(
        """
        [Migration("1.1.0", 1)]
        public sealed class {|SW1002:AddOrders|} : PostgresMigration
        {
            public override async Task PreCheck(PostgresContext db, CancellationToken ct) => Require(!await db.TableExistsAsync("orders", ct), "no orders table yet");

            public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("CREATE TABLE IF NOT EXISTS orders (id bigint)", ct);

            public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("DROP TABLE orders", ct);
        }
        """,
        """
        [Migration("1.1.0", 1)]
        public sealed class AddOrders : PostgresMigration
        {
            public override async Task PreCheck(PostgresContext db, CancellationToken ct) => Require(!await db.TableExistsAsync("orders", ct), "no orders table yet");

            public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("CREATE TABLE IF NOT EXISTS orders (id bigint)", ct);

            public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("DROP TABLE orders", ct);

            public override Task {|SW1002:Validate|}(PostgresContext db, CancellationToken ct)
            {
                // TODO: prove that Up did what it promised, e.g. Require(await db.TableExistsAsync("...", ct), "..."). The build fails (SW1002) until this throw is replaced.
                throw new NotImplementedException();
            }
        }
        """,
        "AddValidate");
}
