using Verify = Stepwise.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Stepwise.Analyzers.Contract.MigrationMembersAnalyzer,
    Stepwise.Analyzers.CodeFixes.AddMigrationMemberCodeFixProvider>;

namespace Stepwise.Analyzers.Tests.Contract;

public sealed class MissingPreCheckTests
{
    [Fact]
    public Task MissingPreCheck_Triggers() => Verify.VerifyAnalyzerAsync("""
        [Migration("1.1.0", 1)]
        public sealed class {|SW1003:AddOrders|} : PostgresMigration
        {
            public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("CREATE TABLE IF NOT EXISTS orders (id bigint)", ct);
            public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("DROP TABLE orders", ct);
            public override async Task Validate(PostgresContext db, CancellationToken ct) => Require(await db.TableExistsAsync("orders", ct), "orders exists");
        }
        """);

    [Fact]
    public Task PreCheckWithRealQuery_DoesNotTrigger() => Verify.VerifyAnalyzerAsync("""
        [Migration("1.1.0", 1)]
        public sealed class AddOrders : PostgresMigration
        {
            public override async Task PreCheck(PostgresContext db, CancellationToken ct)
            {
                var exists = await db.ScalarAsync<bool>("SELECT to_regclass('orders') IS NOT NULL", ct);
                Require(!exists, "no orders table yet");
            }

            public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("CREATE TABLE IF NOT EXISTS orders (id bigint)", ct);
            public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("DROP TABLE orders", ct);
            public override async Task Validate(PostgresContext db, CancellationToken ct) => Require(await db.TableExistsAsync("orders", ct), "orders exists");
        }
        """);

    [Fact]
    public Task PreCheckReturningCompletedTaskInBlock_Triggers() => Verify.VerifyAnalyzerAsync("""
        [Migration("1.1.0", 1)]
        public sealed class AddOrders : PostgresMigration
        {
            public override Task {|SW1003:PreCheck|}(PostgresContext db, CancellationToken ct)
            {
                // Nothing to check yet.
                return Task.CompletedTask;
            }

            public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("CREATE TABLE IF NOT EXISTS orders (id bigint)", ct);
            public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("DROP TABLE orders", ct);
            public override async Task Validate(PostgresContext db, CancellationToken ct) => Require(await db.TableExistsAsync("orders", ct), "orders exists");
        }
        """);

    [Fact]
    public Task MissingPreCheck_FixAddsSkeletonBeforeUp() => Verify.VerifyCodeFixAsync(
        """
        [Migration("1.1.0", 1)]
        public sealed class {|SW1003:AddOrders|} : PostgresMigration
        {
            public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("CREATE TABLE IF NOT EXISTS orders (id bigint)", ct);

            public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("DROP TABLE orders", ct);

            public override async Task Validate(PostgresContext db, CancellationToken ct) => Require(await db.TableExistsAsync("orders", ct), "orders exists");
        }
        """,
        """
        [Migration("1.1.0", 1)]
        public sealed class AddOrders : PostgresMigration
        {
            public override Task {|SW1003:PreCheck|}(PostgresContext db, CancellationToken ct)
            {
                // TODO: check the state this migration starts from; on rollback it also proves Down restored it. The build fails (SW1003) until this throw is replaced.
                throw new NotImplementedException();
            }

            public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("CREATE TABLE IF NOT EXISTS orders (id bigint)", ct);

            public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("DROP TABLE orders", ct);

            public override async Task Validate(PostgresContext db, CancellationToken ct) => Require(await db.TableExistsAsync("orders", ct), "orders exists");
        }
        """,
        "AddPreCheck");

    [Fact]
    public Task AllMembersMissing_FixAllAddsEachSkeletonOnce()
    {
        var test = new Verify.Test
        {
            TestCode = """
                [Migration("1.1.0", 1)]
                public sealed class {|SW1001:{|SW1002:{|SW1003:AddOrders|}|}|} : PostgresMigration
                {
                    public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("CREATE TABLE IF NOT EXISTS orders (id bigint)", ct);
                }
                """,
            FixedCode = """
                [Migration("1.1.0", 1)]
                public sealed class AddOrders : PostgresMigration
                {
                    public override Task {|SW1003:PreCheck|}(PostgresContext db, CancellationToken ct)
                    {
                        // TODO: check the state this migration starts from; on rollback it also proves Down restored it. The build fails (SW1003) until this throw is replaced.
                        throw new NotImplementedException();
                    }

                    public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("CREATE TABLE IF NOT EXISTS orders (id bigint)", ct);

                    public override Task {|SW1001:Down|}(PostgresContext db, CancellationToken ct)
                    {
                        // TODO: revert exactly what Up does. The build fails (SW1001) until this throw is replaced.
                        throw new NotImplementedException();
                    }

                    public override Task {|SW1002:Validate|}(PostgresContext db, CancellationToken ct)
                    {
                        // TODO: prove that Up did what it promised, e.g. Require(await db.TableExistsAsync("...", ct), "..."). The build fails (SW1002) until this throw is replaced.
                        throw new NotImplementedException();
                    }
                }
                """,
        };
        Verifiers.TestProject.AddSupportSources(test.TestState, withProjectAttribute: true);
        Verifiers.TestProject.AddSupportSources(test.FixedState, withProjectAttribute: true);
        test.FixedState.MarkupHandling = Microsoft.CodeAnalysis.Testing.MarkupMode.Allow;
        test.CodeFixTestBehaviors = Microsoft.CodeAnalysis.Testing.CodeFixTestBehaviors.SkipFixAllInDocumentCheck |
                                    Microsoft.CodeAnalysis.Testing.CodeFixTestBehaviors.SkipFixAllInProjectCheck |
                                    Microsoft.CodeAnalysis.Testing.CodeFixTestBehaviors.SkipFixAllInSolutionCheck;
        test.NumberOfIncrementalIterations = 3;
        return test.RunAsync(TestContext.Current.CancellationToken);
    }
}
