using Stepwise;
using Stepwise.PostgreSql;

namespace Stepwise.PostgreSql.Tests.Migrations.Policy;

[Migration("1.1.0", 1, Description = "Drop legacy names")]
[Irreversible("names are not kept")]
public sealed class DropLegacyNames : PostgresMigration
{
    public override async Task PreCheck(PostgresContext db, CancellationToken ct) =>
        Require(await db.TableExistsAsync("accounts", ct), "table accounts exists");

    public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("UPDATE accounts SET name = 'anonymous' WHERE name <> 'anonymous'", ct);

    public override async Task Validate(PostgresContext db, CancellationToken ct) =>
        Require(await db.ScalarAsync<long>("SELECT count(*) FROM accounts WHERE name <> 'anonymous'", ct) == 0, "no legacy names are left");
}

[Migration("2.0.0", 1, Phase = MigrationPhase.DataMigration, Description = "Anonymize account names")]
[Changes("accounts")]
public sealed class AnonymizeAccounts : PostgresMigration
{
    public override async Task PreCheck(PostgresContext db, CancellationToken ct) =>
        Require(await db.TableExistsAsync("accounts", ct), "table accounts exists");

    public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("UPDATE accounts SET name = 'anonymous' WHERE name <> 'anonymous'", ct);

    public override async Task Down(PostgresContext db, CancellationToken ct)
    {
        var backup = await db.BackupOfAsync("accounts", ct);
        Require(backup is not null, "a backup of accounts taken before 2.0.0 exists");
        await db.ExecuteAsync($"UPDATE accounts AS a SET name = b.name FROM {backup} AS b WHERE a.id = b.id", ct);
    }

    public override async Task Validate(PostgresContext db, CancellationToken ct) =>
        Require(await db.ScalarAsync<long>("SELECT count(*) FROM accounts WHERE name <> 'anonymous'", ct) == 0, "every name is anonymized");
}
