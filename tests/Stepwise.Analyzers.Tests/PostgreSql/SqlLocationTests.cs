using Verify = Stepwise.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Stepwise.Analyzers.Sql.PostgresSqlAnalyzer>;

namespace Stepwise.Analyzers.Tests.PostgreSql;

/// <summary>Diagnostics point at the offending words inside the literal, whatever form the literal takes.</summary>
public sealed class SqlLocationTests
{
    [Fact]
    public Task VerbatimString_PointsAtTheStatement() => Verify.VerifyAnalyzerAsync(SqlMigration.Up(""""
        await db.ExecuteAsync(@"UPDATE orders SET note = ""moved"" WHERE note IS NULL;
            {|SW2004:DROP INDEX|} IF EXISTS ""ix_orders_note"" ", ct);
        """"));

    [Fact]
    public Task RegularStringWithEscapes_PointsAtTheStatement() => Verify.VerifyAnalyzerAsync(SqlMigration.Up("""
        await db.ExecuteAsync("UPDATE orders SET note = '\u00e9\t\"x\"' WHERE note IS NULL;\n{|SW2004:DROP INDEX|} IF EXISTS ix_orders_note", ct);
        """));

    [Fact]
    public Task MultiLineRawString_PointsAtTheStatement() => Verify.VerifyAnalyzerAsync(SqlMigration.Up(""""
        await db.ExecuteAsync(
            """
            -- Orders get a status; existing rows are backfilled by the next migration.
            ALTER TABLE orders
                {|SW2005:ADD COLUMN status text NOT NULL|};
            {|SW2004:DROP INDEX|} IF EXISTS ix_orders_note;
            """,
            ct);
        """"));

    [Fact]
    public Task SingleLineRawString_PointsAtTheStatement() => Verify.VerifyAnalyzerAsync(SqlMigration.Up(""""
        await db.ExecuteAsync("""{|SW2004:DROP INDEX|} IF EXISTS "ix_orders_note" """, ct);
        """"));

    [Fact]
    public Task QueryAndScalarHelpers_AreCheckedToo() => Verify.VerifyAnalyzerAsync(SqlMigration.Up("""
        await db.QueryAsync<long>("{|SW2002:COMMIT|}", ct);
        await db.ScalarAsync<long>("{|SW2002:COMMIT|}", null, ct);
        await db.ExecuteAsync(param: null, ct: ct, sql: "{|SW2002:COMMIT|}");
        """));

    [Fact]
    public Task SqlInAConstant_PointsAtTheStatementInsideIt() => Verify.VerifyAnalyzerAsync(""""
        [Migration("1.1.0", 1)]
        public sealed class AddOrderNotes : PostgresMigration
        {
            private const string UpSql =
                """
                ALTER TABLE orders ADD COLUMN IF NOT EXISTS note text;
                {|SW2004:DROP INDEX|} IF EXISTS ix_orders_note;
                """;

            public override async Task Up(PostgresContext db, CancellationToken ct)
            {
                const string Cleanup = "{|SW2004:DROP INDEX|} IF EXISTS ix_orders_legacy";
                await db.ExecuteAsync(UpSql, ct);
                await db.ExecuteAsync(Cleanup, ct);
            }
        }
        """");
}
