using Stepwise;
using Stepwise.PostgreSql;

namespace Stepwise.PostgreSql.Tests.Migrations;

// Variants of ledger migrations that record what the session looked like while they ran.

[Migration("2.0.0", 1, Description = "Create transfers, noting the session's synchronous_commit")]
public sealed class CreateTransfersNotingSynchronousCommit : PostgresMigration
{
    public override Task PreCheck(PostgresContext db, CancellationToken ct) => db.RequireNoTableAsync("transfers", ct);

    public override Task Up(PostgresContext db, CancellationToken ct) =>
        db.ExecuteAsync("CREATE TABLE transfers AS SELECT current_setting('synchronous_commit') AS synchronous_commit", ct);

    public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("DROP TABLE transfers", ct);

    public override Task Validate(PostgresContext db, CancellationToken ct) => db.RequireTableAsync("transfers", ct);
}

[Migration("1.1.0", 3, Description = "Note the lock_timeout a non-transactional step runs under")]
[NonTransactional("observes the session outside a transaction")]
public sealed class ObserveLockTimeout : PostgresMigration
{
    public override Task PreCheck(PostgresContext db, CancellationToken ct) => db.RequireNoTableAsync("lock_timeout_seen", ct);

    public override Task Up(PostgresContext db, CancellationToken ct) =>
        db.ExecuteAsync("CREATE TABLE IF NOT EXISTS lock_timeout_seen AS SELECT 'during' AS step, current_setting('lock_timeout') AS seen", ct);

    public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("DROP TABLE IF EXISTS lock_timeout_seen", ct);

    public override Task Validate(PostgresContext db, CancellationToken ct) => db.RequireTableAsync("lock_timeout_seen", ct);
}

[Migration("2.0.0", 1, Description = "Create transfers slowly, saying so in the log")]
public sealed class CreateTransfersTalkatively(Microsoft.Extensions.Logging.ILogger<CreateTransfersTalkatively> log) : PostgresMigration
{
    public override Task PreCheck(PostgresContext db, CancellationToken ct) => db.RequireNoTableAsync("transfers", ct);

    public override async Task Up(PostgresContext db, CancellationToken ct)
    {
        Microsoft.Extensions.Logging.LoggerExtensions.LogInformation(log, "Creating transfers, then waiting {Seconds} s", 1.5);
        await db.ExecuteAsync("CREATE TABLE transfers (id bigint)", ct);
        await db.ExecuteAsync("SELECT pg_sleep(1.5)", ct);
    }

    public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("DROP TABLE transfers", ct);

    public override Task Validate(PostgresContext db, CancellationToken ct) => db.RequireTableAsync("transfers", ct);
}

[Migration("2.0.0", 1, Description = "Create transfers while holding accounts' lock for a while")]
public sealed class CreateTransfersHoldingAccounts : PostgresMigration
{
    public override Task PreCheck(PostgresContext db, CancellationToken ct) => db.RequireNoTableAsync("transfers", ct);

    public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync(
        "ALTER TABLE accounts ADD COLUMN IF NOT EXISTS note text; CREATE TABLE transfers (id bigint); SELECT pg_sleep(3)", ct);

    public override Task Down(PostgresContext db, CancellationToken ct) =>
        db.ExecuteAsync("DROP TABLE transfers; ALTER TABLE accounts DROP COLUMN IF EXISTS note", ct);

    public override Task Validate(PostgresContext db, CancellationToken ct) => db.RequireTableAsync("transfers", ct);
}

[Migration("2.0.0", 1, Phase = MigrationPhase.DataMigration, Description = "Seed an account named in the SQL itself, then fail to find it")]
public sealed class SeedAccountNamedInline(LedgerSeed seed) : PostgresMigration
{
    public override Task PreCheck(PostgresContext db, CancellationToken ct) => db.RequireTableAsync("accounts", ct);

    // Deliberately built from a value: the test passes the connection's password as the name, as a careless migration might.
#pragma warning disable SW2014 // The test's point is a value written into the SQL.
    public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("INSERT INTO accounts (name) VALUES ('" + seed.AccountName + "')", ct);
#pragma warning restore SW2014

    public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("DELETE FROM accounts WHERE name = @name", new { name = seed.AccountName }, ct);

    public override Task Validate(PostgresContext db, CancellationToken ct)
    {
        Require(false, $"an account named {seed.AccountName} is found again", $"it was not, looking for {seed.AccountName}");
        return Task.CompletedTask;
    }
}

[Migration("2.0.0", 1, Phase = MigrationPhase.DataMigration, Description = "Seed the house account, into a table that is not there")]
public sealed class SeedAccountNamedInlineIntoNoTable(LedgerSeed seed) : PostgresMigration
{
    public override Task PreCheck(PostgresContext db, CancellationToken ct) => db.RequireTableAsync("accounts", ct);

    // As careless as SeedAccountNamedInline, and the statement fails: the failure names it, value and all.
#pragma warning disable SW2014 // The test's point is a value written into the SQL.
    public override Task Up(PostgresContext db, CancellationToken ct) =>
        db.ExecuteAsync("SELECT 1;\nINSERT INTO no_such_accounts (name) VALUES ('" + seed.AccountName + "')", ct);
#pragma warning restore SW2014

    public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("DELETE FROM accounts WHERE name = @name", new { name = seed.AccountName }, ct);

    public override Task Validate(PostgresContext db, CancellationToken ct) => db.RequireTableAsync("accounts", ct);
}

[Migration("2.0.0", 1, Description = "Create transfers, and open 2000 accounts")]
[Changes("accounts")]
public sealed class CreateTransfersGrowingAccounts : PostgresMigration
{
    public override Task PreCheck(PostgresContext db, CancellationToken ct) => db.RequireNoTableAsync("transfers", ct);

    public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync(
        "CREATE TABLE transfers (id bigint); INSERT INTO accounts (name) SELECT 'opened-' || g FROM generate_series(1, 2000) AS g", ct);

    public override Task Down(PostgresContext db, CancellationToken ct) =>
        db.ExecuteAsync("DROP TABLE transfers; DELETE FROM accounts WHERE name LIKE 'opened-%'", ct);

    public override Task Validate(PostgresContext db, CancellationToken ct) => db.RequireTableAsync("transfers", ct);
}

[Migration("2.0.0", 1, Description = "Create transfers, logging a very long line")]
public sealed class CreateTransfersLoggingALongLine(Microsoft.Extensions.Logging.ILogger<CreateTransfersLoggingALongLine> log) : PostgresMigration
{
    public override Task PreCheck(PostgresContext db, CancellationToken ct) => db.RequireNoTableAsync("transfers", ct);

    public override Task Up(PostgresContext db, CancellationToken ct)
    {
        Microsoft.Extensions.Logging.LoggerExtensions.LogInformation(log, "Row dump: {Rows}", new string('r', 20_000));
        return db.ExecuteAsync("CREATE TABLE transfers (id bigint)", ct);
    }

    public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("DROP TABLE transfers", ct);

    public override Task Validate(PostgresContext db, CancellationToken ct) => db.RequireTableAsync("transfers", ct);
}

[Migration("2.0.0", 1, Description = "Create transfers, sending text that JSON escapes twice over, and failing with a long message")]
public sealed class CreateTransfersFailingWithLongText : PostgresMigration
{
    // 4000 characters, each escaped in JSON: the statements kept are twice as long in an audit line.
    private static readonly string Escaped = string.Concat(Enumerable.Repeat("\"\\", 2000));

    public override Task PreCheck(PostgresContext db, CancellationToken ct) => db.RequireNoTableAsync("transfers", ct);

    public override async Task Up(PostgresContext db, CancellationToken ct)
    {
#pragma warning disable SW2014 // The test's point is a long text in the SQL.
        await db.ExecuteAsync("SELECT '" + Escaped + "'", ct);
#pragma warning restore SW2014
        await db.ExecuteAsync("""DO $$ BEGIN RAISE EXCEPTION '%', repeat('"\', 1500); END $$""", ct);
    }

    public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("DROP TABLE transfers", ct);

    public override Task Validate(PostgresContext db, CancellationToken ct) => db.RequireTableAsync("transfers", ct);
}
