using Verify = Stepwise.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Stepwise.Analyzers.Sql.PostgresSqlAnalyzer>;

namespace Stepwise.Analyzers.Tests.PostgreSql;

/// <summary>SW2035: a SECURITY DEFINER function without a fixed search_path.</summary>
public sealed class SecurityDefinerRuleTests
{
    [Theory]
    [InlineData("CREATE OR REPLACE FUNCTION order_count() RETURNS bigint LANGUAGE sql {|SW2035:SECURITY DEFINER|} AS $body$ SELECT count(*) FROM orders $body$")]
    public Task Triggers(string sql) => Verify.VerifyAnalyzerAsync(SqlMigration.UpCalls(sql));

    [Theory]
    [InlineData("CREATE FUNCTION order_count() RETURNS bigint LANGUAGE sql {|SW2035:SECURITY DEFINER|} AS $body$ SET search_path = public; SELECT 1 $body$")]
    public Task Triggers_InNewInstall(string sql) => Verify.VerifyAnalyzerAsync(SqlMigration.UpCalls(sql, "", SqlMigration.NewInstall));

    [Theory]
    [InlineData("CREATE OR REPLACE FUNCTION order_count() RETURNS bigint LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $body$ SELECT count(*) FROM public.orders $body$")]
    [InlineData("CREATE FUNCTION order_count() RETURNS bigint LANGUAGE sql AS $body$ SELECT 1 $body$")]
    public Task DoesNotTrigger(string sql) => Verify.VerifyAnalyzerAsync(SqlMigration.UpCalls(sql));

    [Theory]
    [InlineData("CREATE FUNCTION order_count() RETURNS bigint LANGUAGE sql SECURITY DEFINER AS $body$ SELECT 1 $body$ ;; ALTER FUNCTION order_count() SET search_path = pg_catalog, pg_temp")]
    [InlineData("CREATE FUNCTION order_count(int, text) RETURNS bigint LANGUAGE sql SECURITY DEFINER AS $body$ SELECT 1 $body$ ;; ALTER FUNCTION order_count(integer, varchar) SET search_path = pg_catalog")]
    [InlineData("CREATE PROCEDURE archive_orders() LANGUAGE sql SECURITY DEFINER AS $body$ SELECT 1 $body$ ;; ALTER PROCEDURE archive_orders SET search_path TO pg_catalog")]
    public Task SearchPathGivenLater_DoesNotTrigger(string sql) => Verify.VerifyAnalyzerAsync(SqlMigration.UpCalls(sql));

    [Theory]
    [InlineData("ALTER FUNCTION order_count() SET search_path = pg_catalog ;; CREATE OR REPLACE FUNCTION order_count() RETURNS bigint LANGUAGE sql {|SW2035:SECURITY DEFINER|} AS $body$ SELECT 1 $body$")]
    [InlineData("CREATE FUNCTION order_count() RETURNS bigint LANGUAGE sql {|SW2035:SECURITY DEFINER|} AS $body$ SELECT 1 $body$ ;; ALTER FUNCTION order_total() SET search_path = pg_catalog")]
    [InlineData("CREATE FUNCTION order_count() RETURNS bigint LANGUAGE sql {|SW2035:SECURITY DEFINER|} AS $body$ SELECT 1 $body$ ;; ALTER FUNCTION order_count() RESET search_path")]
    [InlineData("CREATE FUNCTION order_count() RETURNS bigint LANGUAGE sql {|SW2035:SECURITY DEFINER|} AS $body$ SELECT 1 $body$ ;; ALTER FUNCTION order_count() SET search_path TO DEFAULT")]
    [InlineData("CREATE FUNCTION order_count(int) RETURNS bigint LANGUAGE sql {|SW2035:SECURITY DEFINER|} AS $body$ SELECT 1 $body$ ;; ALTER FUNCTION order_count(text, int) SET search_path = pg_catalog")]
    public Task SearchPathGivenBeforeToAnotherFunctionOrReset_Triggers(string sql) => Verify.VerifyAnalyzerAsync(SqlMigration.UpCalls(sql));

    // Each call of a non-transactional migration commits on its own: the function is callable before the ALTER runs.
    [Fact]
    public Task SearchPathGivenLaterInANonTransactionalMigration_Triggers() => Verify.VerifyAnalyzerAsync(SqlMigration.UpCalls(
        "CREATE FUNCTION order_count() RETURNS bigint LANGUAGE sql {|SW2035:SECURITY DEFINER|} AS $body$ SELECT 1 $body$ ;; ALTER FUNCTION order_count() SET search_path = pg_catalog",
        SqlMigration.NonTransactional));
}
