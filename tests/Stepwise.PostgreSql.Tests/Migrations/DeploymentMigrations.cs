using Stepwise;
using Stepwise.PostgreSql;

namespace Stepwise.PostgreSql.Tests.Migrations;

/// <summary>
/// A 2.0.0 cleanup for once the new release runs (the contract half of expand/contract): the old transfers view goes.
/// A deploying hook defers it to the post-deployment hook.
/// </summary>
[Migration("2.0.0", 1, Phase = MigrationPhase.PostUpgrade, Description = "Drop the account names no release reads any more")]
public sealed class DropLegacyAccountNames : PostgresMigration
{
    public override async Task PreCheck(PostgresContext db, CancellationToken ct) => await db.RequireTableAsync("transfers", ct);

    public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("CREATE TABLE legacy_names_dropped (at timestamptz NOT NULL DEFAULT now())", ct);

    public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("DROP TABLE IF EXISTS legacy_names_dropped", ct);

    public override Task Validate(PostgresContext db, CancellationToken ct) => db.RequireTableAsync("legacy_names_dropped", ct);
}
