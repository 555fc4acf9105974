using Stepwise;
using Stepwise.PostgreSql;

namespace Stepwise.PostgreSql.Tests.Migrations;

// Variants of ledger migrations that fail in one particular place. Each keeps the identity of the migration it replaces.

[Migration("2.0.0", 1, Description = "Create transfers, refused by its pre-check")]
public sealed class CreateTransfersRefusedByPreCheck : PostgresMigration
{
    public override async Task PreCheck(PostgresContext db, CancellationToken ct) =>
        Require(await db.TableExistsAsync("ledger_unfrozen", ct), "the ledger is unfrozen (table ledger_unfrozen exists)");

    public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("CREATE TABLE transfers (id int)", ct);

    public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("DROP TABLE transfers", ct);

    public override async Task Validate(PostgresContext db, CancellationToken ct) =>
        Require(await db.TableExistsAsync("transfers", ct), "table transfers exists");
}

[Migration("2.0.0", 1, Description = "Create transfers, failing its validation")]
public sealed class CreateTransfersFailingValidation : PostgresMigration
{
    public override async Task PreCheck(PostgresContext db, CancellationToken ct) =>
        Require(!await db.TableExistsAsync("transfers", ct), "table transfers does not exist yet");

    public override async Task Up(PostgresContext db, CancellationToken ct)
    {
        await db.ExecuteAsync("CREATE TABLE transfers (id int)", ct);
        await db.ExecuteAsync("INSERT INTO transfers VALUES (1)", ct);
    }

    public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("DROP TABLE transfers", ct);

    public override async Task Validate(PostgresContext db, CancellationToken ct)
    {
        var rows = await db.RowCountAsync("transfers", ct);
        Require(rows == 2, "transfers holds the 2 opening transfers", rows == 1 ? "1 row" : $"{rows} rows");
    }
}

[Migration("2.0.0", 1, Description = "Create transfers, failing in Up")]
public sealed class CreateTransfersFailingUp : PostgresMigration
{
    public override async Task PreCheck(PostgresContext db, CancellationToken ct) =>
        Require(!await db.TableExistsAsync("transfers", ct), "table transfers does not exist yet");

    public override async Task Up(PostgresContext db, CancellationToken ct)
    {
        await db.ExecuteAsync("CREATE TABLE transfers (id int)", ct);
        await db.ExecuteAsync("INSERT INTO no_such_table VALUES (1)", ct);
    }

    public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("DROP TABLE transfers", ct);

    public override async Task Validate(PostgresContext db, CancellationToken ct) =>
        Require(await db.TableExistsAsync("transfers", ct), "table transfers exists");
}

[Migration("2.0.0", 1, Description = "Create transfers, whose Down fails")]
public sealed class CreateTransfersWithFailingDown : PostgresMigration
{
    public override async Task PreCheck(PostgresContext db, CancellationToken ct) =>
        Require(!await db.TableExistsAsync("transfers", ct), "table transfers does not exist yet");

    public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("CREATE TABLE transfers (id int)", ct);

    public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("DROP TABLE transfers_with_a_typo", ct);

    public override async Task Validate(PostgresContext db, CancellationToken ct) =>
        Require(await db.TableExistsAsync("transfers", ct), "table transfers exists");
}

[Migration("2.0.0", 1, Description = "Create transfers, whose Down does not undo Up")]
public sealed class CreateTransfersWithIncompleteDown : PostgresMigration
{
    public override async Task PreCheck(PostgresContext db, CancellationToken ct) =>
        Require(!await db.TableExistsAsync("transfers", ct), "table transfers does not exist yet");

    public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("CREATE TABLE transfers (id int)", ct);

    public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("DELETE FROM transfers", ct);

    public override async Task Validate(PostgresContext db, CancellationToken ct) =>
        Require(await db.TableExistsAsync("transfers", ct), "table transfers exists");
}

[Migration("1.1.0", 2, Description = "Index account e-mail, on a column that does not exist")]
[NonTransactional("CREATE INDEX CONCURRENTLY cannot run in a transaction")]
public sealed class IndexAccountEmailFailing : PostgresMigration
{
    public override async Task PreCheck(PostgresContext db, CancellationToken ct) =>
        Require(!await db.IndexExistsAsync("accounts_email_idx", ct), "index accounts_email_idx does not exist yet");

    public override async Task Up(PostgresContext db, CancellationToken ct)
    {
        await db.ExecuteAsync("CREATE TABLE IF NOT EXISTS email_audit (id int)", ct);
        await db.ExecuteAsync("CREATE INDEX CONCURRENTLY IF NOT EXISTS accounts_email_idx ON accounts (e_mail)", ct);
    }

    public override async Task Down(PostgresContext db, CancellationToken ct)
    {
        await db.ExecuteAsync("DROP INDEX CONCURRENTLY IF EXISTS accounts_email_idx", ct);
        await db.ExecuteAsync("DROP TABLE IF EXISTS email_audit", ct);
    }

    public override async Task Validate(PostgresContext db, CancellationToken ct) =>
        Require(await db.IndexExistsAsync("accounts_email_idx", ct), "index accounts_email_idx exists");
}

[Migration("2.0.0", 1, Description = "Create transfers slowly")]
public sealed class CreateTransfersSlowly : PostgresMigration
{
    public override async Task PreCheck(PostgresContext db, CancellationToken ct) =>
        Require(!await db.TableExistsAsync("transfers", ct), "table transfers does not exist yet");

    public override async Task Up(PostgresContext db, CancellationToken ct)
    {
        await db.ExecuteAsync("CREATE TABLE transfers (id int)", ct);
        await db.ExecuteAsync("SELECT pg_sleep(60) /* slow transfers */", ct);
    }

    public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("DROP TABLE transfers", ct);

    public override async Task Validate(PostgresContext db, CancellationToken ct) =>
        Require(await db.TableExistsAsync("transfers", ct), "table transfers exists");
}

[Migration("2.0.0", 1, Phase = MigrationPhase.DataMigration, Description = "Seed the house account, failing its validation")]
public sealed class SeedHouseAccountFailingValidation : PostgresMigration
{
    public override async Task PreCheck(PostgresContext db, CancellationToken ct) =>
        Require(await db.TableExistsAsync("transfers", ct), "table transfers exists");

    public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("INSERT INTO accounts (name) VALUES ('house')", ct);

    public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("DELETE FROM accounts WHERE name = 'house'", ct);

    public override async Task Validate(PostgresContext db, CancellationToken ct)
    {
        var houses = await db.ScalarAsync<long>("SELECT count(*) FROM accounts WHERE name = 'house'", ct);
        Require(houses == 2, $"two house accounts exist (found {houses})");
    }
}

// Its Up makes the runner's own bookkeeping fail: the step's record and COMMIT travel in one batch, and the failure
// must roll back the migration's changes with it.
[Migration("2.0.0", 1, Description = "Create transfers, then break the runner's bookkeeping")]
public sealed class CreateTransfersBreakingTheBookkeeping : PostgresMigration
{
    public override async Task PreCheck(PostgresContext db, CancellationToken ct) =>
        Require(!await db.TableExistsAsync("transfers", ct), "table transfers does not exist yet");

    public override async Task Up(PostgresContext db, CancellationToken ct)
    {
        await db.ExecuteAsync("CREATE TABLE transfers (id int)", ct);
        await db.ExecuteAsync("ALTER TABLE stepwise.applied_migration ADD CONSTRAINT refuse_every_row CHECK (false) NOT VALID", ct);
    }

    public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("DROP TABLE transfers", ct);

    public override async Task Validate(PostgresContext db, CancellationToken ct) =>
        Require(await db.TableExistsAsync("transfers", ct), "table transfers exists");
}

[Migration("2.0.0", 1, Description = "Create transfers, whose Up throws after its SQL")]
public sealed class CreateTransfersThrowingInUp : PostgresMigration
{
    public override async Task PreCheck(PostgresContext db, CancellationToken ct) =>
        Require(!await db.TableExistsAsync("transfers", ct), "table transfers does not exist yet");

    public override async Task Up(PostgresContext db, CancellationToken ct)
    {
        await db.ExecuteAsync("CREATE TABLE transfers (id int)", ct);
        throw new InvalidOperationException("The exchange rate feed is unreachable.");
    }

    public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("DROP TABLE transfers", ct);

    public override async Task Validate(PostgresContext db, CancellationToken ct) =>
        Require(await db.TableExistsAsync("transfers", ct), "table transfers exists");
}

// Its closing checks use the Require… helpers, which a transactional step verifies with its commit. Validate notes in
// a static field how far it ran, which it can only do past a failing check when that check is held back.
[Migration("2.0.0", 1, Description = "Create transfers, failing a held-back validation check")]
public sealed class CreateTransfersFailingHeldBackCheck : PostgresMigration
{
    public static bool RanPastTheFailingCheck { get; set; }

    public override Task PreCheck(PostgresContext db, CancellationToken ct) => db.RequireNoTableAsync("transfers", ct);

    public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("CREATE TABLE transfers (id int)", ct);

    public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("DROP TABLE transfers", ct);

    public override async Task Validate(PostgresContext db, CancellationToken ct)
    {
        await db.RequireTableAsync("transfers", ct);
        await db.RequireColumnAsync("transfers", "amount", ct);
        RanPastTheFailingCheck = true;
    }
}

// Its Up only sends one statement, so its PreCheck's Require… helpers go to the server with that statement. PreCheck
// notes in a static field how far it ran, which it can only do past a failing check when that check is held back.
[Migration("2.0.0", 1, Description = "Create transfers, refused by a pre-check sent with Up's statement")]
public sealed class CreateTransfersRefusedByAHeldPreCheck : PostgresMigration
{
    public static bool RanPastTheFailingCheck { get; set; }

    public override async Task PreCheck(PostgresContext db, CancellationToken ct)
    {
        await db.RequireNoTableAsync("transfers", ct);
        await db.RequireTableAsync("ledger_unfrozen", ct);
        RanPastTheFailingCheck = true;
    }

    public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("CREATE TABLE transfers (id int)", ct);

    public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("DROP TABLE transfers", ct);

    public override Task Validate(PostgresContext db, CancellationToken ct) => db.RequireTableAsync("transfers", ct);
}

// A statement after a held-back check sends the check first, so the failure names the check, not the statement.
[Migration("2.0.0", 1, Description = "Create transfers, querying what its failing check is about")]
public sealed class CreateTransfersQueryingAfterAFailingCheck : PostgresMigration
{
    public override Task PreCheck(PostgresContext db, CancellationToken ct) => db.RequireNoTableAsync("transfers", ct);

    public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("CREATE TABLE transfers (id int)", ct);

    public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("DROP TABLE transfers", ct);

    public override async Task Validate(PostgresContext db, CancellationToken ct)
    {
        await db.RequireTableAsync("transfer_lines", ct);
        await db.RowCountAsync("transfer_lines", ct);
    }
}

[Migration("2.0.0", 1, Description = "Create transfers, whose Down does not undo Up, checked by a helper")]
public sealed class CreateTransfersWithIncompleteDownCheckedByAHelper : PostgresMigration
{
    public override Task PreCheck(PostgresContext db, CancellationToken ct) => db.RequireNoTableAsync("transfers", ct);

    public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("CREATE TABLE transfers (id int)", ct);

    public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("DELETE FROM transfers", ct);

    public override Task Validate(PostgresContext db, CancellationToken ct) => db.RequireTableAsync("transfers", ct);
}

[Migration("2.0.0", 1, Description = "Create transfers, whose script fails in its third statement")]
public sealed class CreateTransfersFailingInItsScript : PostgresMigration
{
    // A held PreCheck goes to the server in the same command, before the script's statements.
    public override Task PreCheck(PostgresContext db, CancellationToken ct) => db.RequireNoTableAsync("transfers", ct);

    public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync(
        """
        CREATE TABLE transfers (id int PRIMARY KEY, amount int NOT NULL);
        -- the opening transfers; the comment's semicolons end nothing
        INSERT INTO transfers VALUES (1, 10), (2, 20);
        INSERT INTO transfers VALUES (3, NULL);
        COMMENT ON TABLE transfers IS 'after the failure; never run';
        """, ct);

    public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("DROP TABLE transfers", ct);

    public override Task Validate(PostgresContext db, CancellationToken ct) => db.RequireTableAsync("transfers", ct);
}
