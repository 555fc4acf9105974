using System.Text.Json;
using Stepwise.PostgreSql.Tests.Migrations;
using Stepwise.Testing;
using static Stepwise.PostgreSql.Tests.Cli.StepwiseCli;

namespace Stepwise.PostgreSql.Tests.Lifecycle;

/// <summary>
/// verify-rollback finds every Down that passes the runner's own rollback check yet leaves the schema other than before
/// its Up, on scratch databases, without touching the database the connection names.
/// </summary>
public sealed class VerifyRollbackTests(PostgresServer server)
{
    [Fact]
    public async Task SoundRollbacks_PassOnEveryRoute_AndLeaveTheNamedDatabaseAlone()
    {
        await using var db = await server.CreateDatabaseAsync();

        var run = await RunAsync(db, LedgerWith(typeof(CreateTransfersAndASequenceCleanly)), "verify-rollback", "--output", "json");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var report = JsonDocument.Parse(run.Output);
        Assert.True(report.RootElement.GetProperty("passed").GetBoolean());
        Assert.Equal(4, report.RootElement.GetProperty("checks").GetArrayLength());
        Assert.All(report.RootElement.GetProperty("checks").EnumerateArray(), static c => Assert.Equal("restored", c.GetProperty("verdict").GetString()));
        Assert.False(await db.ScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'stepwise')"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_database WHERE datname LIKE 'stepwise_verify_%'"));
    }

    [Theory]
    [InlineData(typeof(CreateTransfersForgettingAnIndex), "+ index CREATE INDEX accounts_name_idx ON public.accounts USING btree (name)")]
    [InlineData(typeof(CreateTransfersDroppingAViewByCascade), "- relation public.account_contacts kind v owner")]
    [InlineData(typeof(CreateTransfersGrowingAnEnum), "+ enum public.account_kind owner stepwise_test: 'person', 'company', 'archived'")]
    [InlineData(typeof(CreateTransfersReplacingAFunction), "- function public.ledger_fee(amount numeric) returns numeric owner stepwise_test: definition ")]
    [InlineData(typeof(CreateTransfersForgettingATrigger), "+ trigger CREATE TRIGGER accounts_touch BEFORE UPDATE ON public.accounts FOR EACH ROW EXECUTE FUNCTION ledger_touch() (O)")]
    [InlineData(typeof(CreateTransfersForgettingDefaultPrivileges), "+ default privileges of stepwise_test in public on r: {=r/stepwise_test}")]
    [InlineData(typeof(CreateTransfersOwningASequence), "+ sequence public.ledger_numbers owned by public.accounts.id")]
    public async Task DownThatLeavesTheSchemaChanged_IsReportedWithTheDifference(Type defective, string difference)
    {
        await using var db = await server.CreateDatabaseAsync();

        var run = await RunAsync([.. LedgerWith(defective), typeof(SeedLedgerObjects)], null, "verify-rollback", "--connection", db.ConnectionString);

        Assert.True(run.ExitCode == 5, run.ToString());
        Assert.Contains($"FAIL  2.0.0      {defective.Name}  [2.0.0/upgrade/schema-changes/1]: after Down, the schema differs from before Up", run.Output,
            StringComparison.Ordinal);
        Assert.Contains(difference.Replace("stepwise_test", server.AdminUser, StringComparison.Ordinal), run.Output, StringComparison.Ordinal);
        Assert.Contains("1 of 5 migration(s) fail the check", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangeTheCatalogQueriesDoNotAskAbout_IsFoundByPgDump()
    {
        if (!PgDumpFound())
        {
            Assert.Skip("pg_dump is not on this machine (apt-get install postgresql-client); verify-rollback then compares by the catalogs alone.");
        }

        await using var db = await server.CreateDatabaseAsync();

        var run = await RunAsync([.. LedgerWith(typeof(CreateTransfersTuningAccounts)), typeof(SeedLedgerObjects)], null, "verify-rollback", "--connection", db.ConnectionString);

        Assert.True(run.ExitCode == 5, run.ToString());
        Assert.Contains("+ pg_dump: CREATE TABLE public.accounts (", run.Output, StringComparison.Ordinal);
        Assert.Contains("WITH (fillfactor='70');", run.Output, StringComparison.Ordinal);
    }

    private static bool PgDumpFound() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(static d => d.Length > 0 && File.Exists(Path.Combine(d, "pg_dump")))
        || (Directory.Exists("/usr/lib/postgresql") && Directory.GetDirectories("/usr/lib/postgresql").Any(static d => File.Exists(Path.Combine(d, "bin", "pg_dump"))));

    [Fact]
    public async Task UserWhoMayNotCreateDatabases_GetsThePermissionExitCodeAndWhatToDo()
    {
        await using var db = await server.CreateDatabaseAsync();
        var role = $"no_createdb_{Guid.NewGuid():N}"[..24];
        await db.ExecuteAsync($"CREATE ROLE {role} LOGIN PASSWORD 'Verify-Pw-1'; GRANT ALL ON DATABASE \"{db.Name}\" TO {role};");
        var settings = db.Settings;
        settings.Username = role;
        settings.Password = "Verify-Pw-1";
        try
        {
            var run = await RunAsync(Ledger, null, "verify-rollback", "--connection", settings.ConnectionString);

            Assert.Equal(11, run.ExitCode);
            Assert.Contains("verify-rollback creates a scratch database", run.Error, StringComparison.Ordinal);
            Assert.Contains("Run it as a user with CREATEDB", run.Error, StringComparison.Ordinal);
        }
        finally
        {
            await db.ExecuteAsync($"DROP OWNED BY {role}; DROP ROLE {role};");
        }
    }
}

/// <summary>The objects the defective variants lean on, as a migration of 1.0.0 that runs before them.</summary>
[Migration("1.0.0", 2, Description = "Seed the objects the rollback defects touch")]
public sealed class SeedLedgerObjects : PostgresMigration
{
    public override async Task PreCheck(PostgresContext db, CancellationToken ct) => await db.RequireTableAsync("accounts", ct);

    public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync(
        """
        CREATE TYPE account_kind AS ENUM ('person', 'company');
        CREATE FUNCTION ledger_fee(amount numeric) RETURNS numeric LANGUAGE sql AS 'SELECT amount * 0.01';
        CREATE FUNCTION ledger_touch() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
        CREATE SEQUENCE ledger_numbers;
        CREATE VIEW account_contacts AS SELECT id, name AS contact FROM accounts;
        """, ct);

    public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync(
        "DROP VIEW IF EXISTS account_contacts; DROP SEQUENCE IF EXISTS ledger_numbers; DROP FUNCTION IF EXISTS ledger_touch(); DROP FUNCTION IF EXISTS ledger_fee(numeric); DROP TYPE IF EXISTS account_kind;",
        ct);

    public override async Task Validate(PostgresContext db, CancellationToken ct) => await db.RequireTableAsync("account_contacts", ct);
}
