using Verify = Stepwise.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Stepwise.Analyzers.Sql.PostgresSqlAnalyzer>;

namespace Stepwise.Analyzers.Tests.PostgreSql;

/// <summary>
/// SW2007: a column's type change, judged by the type an earlier migration of the project gave the column. The
/// single-statement cases (no earlier migration, USING, timestamptz under UTC) are in <see cref="AlterTableRulesTests"/>.
/// </summary>
public sealed class AlterColumnTypeRuleTests
{
    [Theory]
    [InlineData("varchar(50)", "varchar(100)")]
    [InlineData("varchar(50)", "varchar(50)")]
    [InlineData("character varying(50)", "varchar")]
    [InlineData("varchar(50)", "text")]
    [InlineData("varchar", "text")]
    [InlineData("text", "character varying")]
    [InlineData("numeric(10,2)", "numeric(12,2)")]
    [InlineData("decimal(10,2)", "numeric")]
    [InlineData("numeric(10)", "numeric(14,0)")]
    public Task ChangeThatKeepsTheRows_OfAColumnAnEarlierMigrationCreated_DoesNotTrigger(string earlier, string later) =>
        Verify.VerifyAnalyzerAsync(Created(earlier) + Altered($"ALTER TABLE orders ALTER COLUMN note TYPE {later}"));

    [Theory]
    [InlineData("varchar(100)", "varchar(50)")]
    [InlineData("text", "varchar(100)")]
    [InlineData("varchar(50)", "integer")]
    [InlineData("numeric(10,2)", "numeric(12,3)")]
    [InlineData("numeric(10,2)", "numeric(8,2)")]
    [InlineData("numeric", "numeric(12,2)")]
    [InlineData("char(5)", "char(10)")]
    [InlineData("varchar(50)[]", "varchar(100)[]")]
    [InlineData("int", "bigint")]
    [InlineData("time", "time with time zone")]
    [InlineData("bit varying(500)", "bit varying(5)")]
    [InlineData("interval", "interval year to month")]
    [InlineData("integer", "integer")]
    [InlineData("varchar(50) COLLATE \\\"C\\\"", "varchar(100)")]
    public Task ChangeThatRewritesOrChecksEveryRow_Triggers(string earlier, string later) =>
        Verify.VerifyAnalyzerAsync(Created(earlier) + Altered($"ALTER TABLE orders {{|SW2007:ALTER COLUMN note TYPE {later}|}}"));

    [Theory]
    [InlineData("ALTER TABLE orders {|SW2007:ALTER COLUMN note TYPE varchar(100) USING trim(note)|}")]
    [InlineData("ALTER TABLE orders {|SW2007:ALTER COLUMN note TYPE varchar(100) COLLATE \\\"C\\\"|}")]
    public Task WideningThatConvertsOrChangesTheCollation_Triggers(string sql) =>
        Verify.VerifyAnalyzerAsync(Created("varchar(50)") + Altered(sql));

    [Fact]
    public Task ColumnAddedByALaterMigration_IsJudgedByThatType() => Verify.VerifyAnalyzerAsync(
        Created("integer") +
        Migration("1.0.5", "RetypeNote", "ALTER TABLE orders {|SW2012:DROP COLUMN note|}; ALTER TABLE orders ADD COLUMN note varchar(20)") +
        Altered("ALTER TABLE orders ALTER COLUMN note TYPE varchar(40)"));

    [Fact]
    public Task RenamesAreFollowed() => Verify.VerifyAnalyzerAsync(
        Created("varchar(20)", table: "purchases", column: "remark") +
        Migration("1.0.5", "RenameNote", "ALTER TABLE purchases {|SW2011:RENAME TO orders|}; ALTER TABLE orders {|SW2011:RENAME COLUMN remark TO note|}") +
        Altered("ALTER TABLE orders ALTER COLUMN note TYPE text"));

    [Theory]
    [InlineData("DROP TABLE orders; CREATE TABLE IF NOT EXISTS orders AS SELECT 1 AS id")]
    [InlineData("DO $do$ BEGIN IF true THEN ALTER TABLE IF EXISTS orders ALTER COLUMN note TYPE integer USING 0; END IF; END $do$")]
    [InlineData("DO $do$ BEGIN EXECUTE format('ALTER TABLE %I ALTER COLUMN note TYPE integer USING 0', 'orders'); END $do$")]
    [InlineData("ALTER TABLE orders ADD COLUMN IF NOT EXISTS note varchar(50)")]
    public Task ColumnChangedInAWayTheRuleDoesNotFollow_IsNotKnown(string sql) => Verify.VerifyAnalyzerAsync(
        Created("integer") + Migration("1.0.5", "Between", sql) + Altered("ALTER TABLE orders {|SW2007:ALTER COLUMN note TYPE varchar(100)|}"));

    // IF NOT EXISTS leaves an existing table or column as it is: a list that disagrees makes the type unknown, one that
    // agrees keeps it.
    [Theory]
    [InlineData("integer", true)]
    [InlineData("varchar(50)", false)]
    public Task TableCreatedAgainUnderIfNotExists_OverrulesNothing(string earlier, bool reported) => Verify.VerifyAnalyzerAsync(
        Created(earlier) +
        Migration("1.0.5", "Again", "CREATE TABLE IF NOT EXISTS orders (id bigint PRIMARY KEY, note varchar(50))") +
        Altered(reported ? "ALTER TABLE orders {|SW2007:ALTER COLUMN note TYPE varchar(100)|}" : "ALTER TABLE orders ALTER COLUMN note TYPE varchar(100)"));

    // A migration for databases upgraded from one version only is a branch: what it defines is not known for every database.
    [Fact]
    public Task ColumnRetypedOnABranch_IsNotKnown() => Verify.VerifyAnalyzerAsync(
        Created("varchar(20)") +
        Migration("1.0.5", "RetypeOnABranch", "ALTER TABLE orders {|SW2007:ALTER COLUMN note TYPE varchar(10)|}", named: ", From = \"0.9.0\"") +
        Altered("ALTER TABLE orders {|SW2007:ALTER COLUMN note TYPE varchar(40)|}"));

    // A new install of an earlier version that disagrees with the upgrades leaves the column unknown; one of the same
    // version describes the state after the upgrade, not before it.
    [Theory]
    [InlineData("1.0.0")]
    [InlineData("1.1.0")]
    public Task NewInstallThatDisagreesOrComesAfter_SaysNothingOfTheEarlierType(string version) => Verify.VerifyAnalyzerAsync(
        Created("integer") +
        Migration(version, "InstallOrders", "CREATE TABLE IF NOT EXISTS orders (id bigint PRIMARY KEY, note varchar(50))", named: ", Path = MigrationPath.NewInstall") +
        Altered("ALTER TABLE orders {|SW2007:ALTER COLUMN note TYPE varchar(100)|}"));

    // Tables of the same name in two schemas keep two histories; an unqualified name is public's.
    [Theory]
    [InlineData("archive.orders", "ALTER TABLE public.orders {|SW2007:ALTER COLUMN note TYPE varchar(100)|}")]
    [InlineData("archive.orders", "ALTER TABLE orders {|SW2007:ALTER COLUMN note TYPE varchar(100)|}")]
    [InlineData("archive.orders", "ALTER TABLE archive.orders ALTER COLUMN note TYPE varchar(100)")]
    [InlineData("\\\"Archive\\\".orders", "ALTER TABLE archive.orders {|SW2007:ALTER COLUMN note TYPE varchar(100)|}")]
    public Task TablesAreKnownByTheirSchema(string created, string altered) => Verify.VerifyAnalyzerAsync(
        Created("integer") + Created("varchar(50)", table: created, name: "CreateArchive") + Altered(altered));

    [Fact]
    public Task PublicQualified_IsTheSameTableAsUnqualified() => Verify.VerifyAnalyzerAsync(
        Created("varchar(50)", table: "public.orders", name: "CreateOrders") + Altered("ALTER TABLE orders ALTER COLUMN note TYPE varchar(100)"));

    [Fact]
    public Task MigrationOrderDecides_NotTheOrderOfTheSource() =>
        Verify.VerifyAnalyzerAsync(Altered("ALTER TABLE orders ALTER COLUMN note TYPE varchar(100)") + Created("varchar(50)"));

    [Fact]
    public Task LaterMigrationsDoNotCount() => Verify.VerifyAnalyzerAsync(
        Altered("ALTER TABLE orders {|SW2007:ALTER COLUMN note TYPE varchar(100)|}") +
        Migration("2.0.0", "Later", "CREATE TABLE IF NOT EXISTS orders (id bigint PRIMARY KEY, note varchar(50))"));

    [Fact]
    public Task DownNarrowingWhatUpWidened_Triggers_AndUpDoesNot() => Verify.VerifyAnalyzerAsync(Created("varchar(50)") + """

        [Migration("1.1.0", 1)]
        public sealed class WidenNote : PostgresMigration
        {
            public override Task Up(PostgresContext db, CancellationToken ct) =>
                db.ExecuteAsync("ALTER TABLE orders ALTER COLUMN note TYPE varchar(100)", ct);

            public override Task Down(PostgresContext db, CancellationToken ct) =>
                db.ExecuteAsync("ALTER TABLE orders {|SW2007:ALTER COLUMN note TYPE varchar(50)|}", ct);
        }
        """);

    [Fact]
    public Task JustifiedOnTheCall_IsSuppressed() => Verify.VerifyAnalyzerAsync(Created("integer") + """

        [Migration("1.1.0", 1)]
        public sealed class WidenNote : PostgresMigration
        {
            public override async Task Up(PostgresContext db, CancellationToken ct)
            {
        #pragma warning disable SW2007 // the table holds twelve rows
                await db.ExecuteAsync("ALTER TABLE orders ALTER COLUMN note TYPE bigint", ct);
        #pragma warning restore SW2007
            }
        }
        """);

    private static string Created(string type, string table = "orders", string column = "note", string? name = null) =>
        Migration("1.0.0", name ?? "Create" + char.ToUpperInvariant(table[0]) + table[1..], $"CREATE TABLE IF NOT EXISTS {table} (id bigint PRIMARY KEY, {column} {type})");

    private static string Altered(string sql) => Migration("1.1.0", "AlterNote", sql);

    // A migration whose Up sends one command; named: the attribute's named arguments, e.g. ", From = \"0.9.0\"".
    private static string Migration(string version, string name, string sql, string named = "") => $$"""

        [Migration("{{version}}", 1{{named}})]
        public sealed class {{name}} : PostgresMigration
        {
            public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("{{sql}}", ct);
        }
        """;
}
