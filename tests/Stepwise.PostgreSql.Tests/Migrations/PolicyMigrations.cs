using Stepwise;
using Stepwise.PostgreSql;

namespace Stepwise.PostgreSql.Tests.Migrations.Policy;

[Migration("1.1.0", 1, Description = "Drop legacy names")]
[Irreversible("names are not kept")]
public sealed class DropLegacyNames : PostgresMigration
{
    public override async Task PreCheck(PostgresContext db, CancellationToken ct) =>
        Require(await db.TableExistsAsync("accounts", ct), "table accounts exists");

    public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("UPDATE accounts SET name = 'anonymous'", ct);

    public override async Task Validate(PostgresContext db, CancellationToken ct) =>
        Require(await db.ScalarAsync<long>("SELECT count(*) FROM accounts WHERE name <> 'anonymous'", ct) == 0, "no legacy names are left");
}
