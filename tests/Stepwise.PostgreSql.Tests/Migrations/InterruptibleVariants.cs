using Stepwise;
using Stepwise.PostgreSql;

namespace Stepwise.PostgreSql.Tests.Migrations;

// Non-transactional variants of IndexAccountEmail that wait, at a chosen point of Up, for an advisory lock the test
// holds: the test then ends the runner's connection there, as a kill or a server restart would.

/// <summary>Builds two indexes concurrently, pausing before, between or after them.</summary>
public abstract class IndexAccountsPausing : PostgresMigration
{
    /// <summary>The advisory lock key the test holds to stop Up at its pause.</summary>
    public const long PauseKey = 0x5354_5041_5553_45; // "STPAUSE"

    /// <summary>How many of the two indexes exist when Up pauses.</summary>
    protected abstract int PauseAfter { get; }

    public override async Task PreCheck(PostgresContext db, CancellationToken ct)
    {
        Require(!await db.IndexExistsAsync("accounts_email_idx", ct), "index accounts_email_idx does not exist yet");
        Require(!await db.IndexExistsAsync("accounts_name_idx", ct), "index accounts_name_idx does not exist yet");
    }

    public override async Task Up(PostgresContext db, CancellationToken ct)
    {
        await PauseAsync(db, 0, ct);
        await db.ExecuteAsync("CREATE INDEX CONCURRENTLY IF NOT EXISTS accounts_email_idx ON accounts (email)", ct);
        await PauseAsync(db, 1, ct);
        await db.ExecuteAsync("CREATE INDEX CONCURRENTLY IF NOT EXISTS accounts_name_idx ON accounts (name)", ct);
        await PauseAsync(db, 2, ct);
    }

    public override async Task Down(PostgresContext db, CancellationToken ct)
    {
        await db.ExecuteAsync("DROP INDEX CONCURRENTLY IF EXISTS accounts_name_idx", ct);
        await db.ExecuteAsync("DROP INDEX CONCURRENTLY IF EXISTS accounts_email_idx", ct);
    }

    public override async Task Validate(PostgresContext db, CancellationToken ct)
    {
        Require(await db.IndexExistsAsync("accounts_email_idx", ct), "index accounts_email_idx exists");
        Require(await db.IndexExistsAsync("accounts_name_idx", ct), "index accounts_name_idx exists");
    }

    private Task PauseAsync(PostgresContext db, int point, CancellationToken ct) => point == PauseAfter
        ? db.ExecuteAsync($"SELECT pg_advisory_lock({PauseKey}), pg_advisory_unlock({PauseKey}) /* paused */", ct)
        : Task.CompletedTask;
}

[Migration("1.1.0", 2, Description = "Index accounts, pausing before anything")]
[NonTransactional("CREATE INDEX CONCURRENTLY cannot run in a transaction")]
public sealed class IndexAccountsPausingFirst : IndexAccountsPausing
{
    protected override int PauseAfter => 0;
}

[Migration("1.1.0", 2, Description = "Index accounts, pausing between the indexes")]
[NonTransactional("CREATE INDEX CONCURRENTLY cannot run in a transaction")]
public sealed class IndexAccountsPausingHalfWay : IndexAccountsPausing
{
    protected override int PauseAfter => 1;
}

[Migration("1.1.0", 2, Description = "Index accounts, pausing after both indexes")]
[NonTransactional("CREATE INDEX CONCURRENTLY cannot run in a transaction")]
public sealed class IndexAccountsPausingLast : IndexAccountsPausing
{
    protected override int PauseAfter => 2;
}

[Migration("1.1.0", 2, Description = "Index account names uniquely, over duplicate names")]
[NonTransactional("CREATE INDEX CONCURRENTLY cannot run in a transaction")]
public sealed class IndexAccountNamesUniquely : PostgresMigration
{
    public override async Task PreCheck(PostgresContext db, CancellationToken ct) =>
        Require(!await db.IndexExistsAsync("accounts_name_key", ct), "index accounts_name_key does not exist yet");

    // Fails on the duplicates the test inserts, and leaves the index INVALID, as PostgreSQL does.
    public override Task Up(PostgresContext db, CancellationToken ct) =>
        db.ExecuteAsync("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS accounts_name_key ON accounts (name)", ct);

    public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("DROP INDEX CONCURRENTLY IF EXISTS accounts_name_key", ct);

    public override async Task Validate(PostgresContext db, CancellationToken ct) =>
        Require(await db.IndexExistsAsync("accounts_name_key", ct), "index accounts_name_key exists");
}
