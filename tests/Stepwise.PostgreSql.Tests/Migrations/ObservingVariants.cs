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
