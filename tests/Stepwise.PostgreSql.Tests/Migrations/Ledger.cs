using Stepwise;
using Stepwise.PostgreSql;

namespace Stepwise.PostgreSql.Tests.Migrations;

// The "ledger" project the lifecycle tests migrate. Tests pick sets of these classes; variants share the
// [Migration] identity of the class they stand in for, so they replace it in a set.

[Migration("1.0.0", 1, Description = "Create accounts")]
public sealed class CreateAccounts : PostgresMigration
{
    public override async Task PreCheck(PostgresContext db, CancellationToken ct) =>
        Require(!await db.TableExistsAsync("accounts", ct), "table accounts does not exist yet");

    public override Task Up(PostgresContext db, CancellationToken ct) =>
        db.ExecuteAsync("CREATE TABLE IF NOT EXISTS accounts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL)", ct);

    public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("DROP TABLE IF EXISTS accounts", ct);

    public override async Task Validate(PostgresContext db, CancellationToken ct) =>
        Require(await db.TableExistsAsync("accounts", ct), "table accounts exists");
}

[Migration("1.1.0", 1, Description = "Add account e-mail")]
public sealed class AddAccountEmail : PostgresMigration
{
    public override async Task PreCheck(PostgresContext db, CancellationToken ct) =>
        Require(!await db.ColumnExistsAsync("accounts", "email", ct), "accounts.email does not exist yet");

    public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("ALTER TABLE accounts ADD COLUMN IF NOT EXISTS email text", ct);

    public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("ALTER TABLE accounts DROP COLUMN IF EXISTS email", ct);

    public override async Task Validate(PostgresContext db, CancellationToken ct) =>
        Require(await db.ColumnExistsAsync("accounts", "email", ct), "accounts.email exists");
}

[Migration("1.1.0", 2, Description = "Index account e-mail")]
[NonTransactional("CREATE INDEX CONCURRENTLY cannot run in a transaction")]
public sealed class IndexAccountEmail : PostgresMigration
{
    public override async Task PreCheck(PostgresContext db, CancellationToken ct) =>
        Require(!await db.IndexExistsAsync("accounts_email_idx", ct), "index accounts_email_idx does not exist yet");

    public override Task Up(PostgresContext db, CancellationToken ct) =>
        db.ExecuteAsync("CREATE INDEX CONCURRENTLY IF NOT EXISTS accounts_email_idx ON accounts (email)", ct);

    public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("DROP INDEX CONCURRENTLY IF EXISTS accounts_email_idx", ct);

    public override async Task Validate(PostgresContext db, CancellationToken ct) =>
        Require(await db.IndexExistsAsync("accounts_email_idx", ct), "index accounts_email_idx exists");
}

[Migration("2.0.0", 1, Description = "Create transfers")]
public sealed class CreateTransfers : PostgresMigration
{
    public override async Task PreCheck(PostgresContext db, CancellationToken ct) =>
        Require(!await db.TableExistsAsync("transfers", ct), "table transfers does not exist yet");

    public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync(
        "CREATE TABLE IF NOT EXISTS transfers (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, account_id bigint NOT NULL REFERENCES accounts (id), amount numeric(12, 2) NOT NULL)",
        ct);

    public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("DROP TABLE IF EXISTS transfers", ct);

    public override async Task Validate(PostgresContext db, CancellationToken ct) =>
        Require(await db.TableExistsAsync("transfers", ct), "table transfers exists");
}

/// <summary>Options a migration receives through dependency injection.</summary>
public sealed record LedgerSeed(string AccountName);

[Migration("2.0.0", 1, Phase = MigrationPhase.DataMigration, Description = "Seed the house account")]
public sealed class SeedHouseAccount(LedgerSeed seed) : PostgresMigration
{
    public override async Task PreCheck(PostgresContext db, CancellationToken ct) =>
        Require(await db.ScalarAsync<long>("SELECT count(*) FROM accounts WHERE name = @name", new { name = seed.AccountName }, ct) == 0,
            $"no account named {seed.AccountName} yet");

    public override Task Up(PostgresContext db, CancellationToken ct) =>
        db.ExecuteAsync("INSERT INTO accounts (name) VALUES (@name)", new { name = seed.AccountName }, ct);

    public override Task Down(PostgresContext db, CancellationToken ct) =>
        db.ExecuteAsync("DELETE FROM accounts WHERE name = @name", new { name = seed.AccountName }, ct);

    public override async Task Validate(PostgresContext db, CancellationToken ct) =>
        Require(await db.ScalarAsync<long>("SELECT count(*) FROM accounts WHERE name = @name", new { name = seed.AccountName }, ct) == 1,
            $"exactly one account named {seed.AccountName}");
}
