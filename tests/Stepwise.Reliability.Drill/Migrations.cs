using Stepwise.PostgreSql;

namespace Stepwise.Reliability.Drill;

// 1.0.0: a table and its data; 1.1.0: two indexes built concurrently, then five columns; 1.2.0: a second table and
// its concurrent index. Every step pauses on the server once, and the non-transactional ones between their statements.

[Migration("1.0.0", 1, Description = "Create the items table")]
public sealed class CreateItems : PostgresMigration
{
    public override async Task PreCheck(PostgresContext db, CancellationToken ct) => await db.RequireNoTableAsync("items", ct);

    public override async Task Up(PostgresContext db, CancellationToken ct)
    {
        await db.ExecuteAsync("CREATE TABLE items (id bigint PRIMARY KEY, payload text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())", ct);
        await db.ExecuteAsync(Pause.Sql, ct);
    }

    public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("DROP TABLE IF EXISTS items", ct);

    public override Task Validate(PostgresContext db, CancellationToken ct) => db.RequireTableAsync("items", ct);
}

[Migration("1.0.0", 2, Description = "Fill the items table")]
public sealed class FillItems : PostgresMigration
{
    public override async Task PreCheck(PostgresContext db, CancellationToken ct) =>
        Require(await db.ScalarAsync<long>("SELECT count(*) FROM items", ct) == 0, "items is empty");

    public override async Task Up(PostgresContext db, CancellationToken ct)
    {
        await db.ExecuteAsync("INSERT INTO items (id, payload) SELECT g, md5(g::text) FROM generate_series(1, 20000) g", ct);
        await db.ExecuteAsync(Pause.Sql, ct);
    }

    public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("DELETE FROM items", ct);

    public override async Task Validate(PostgresContext db, CancellationToken ct) =>
        Require(await db.ScalarAsync<long>("SELECT count(*) FROM items", ct) == 20000, "items holds 20000 rows");
}

[Migration("1.1.0", 1, Description = "Index items by payload and by creation time")]
[NonTransactional("CREATE INDEX CONCURRENTLY keeps items writable, and PostgreSQL refuses it inside a transaction")]
public sealed class IndexItems : PostgresMigration
{
    public override async Task PreCheck(PostgresContext db, CancellationToken ct)
    {
        await db.RequireNoIndexAsync("items_payload_idx", ct);
        await db.RequireNoIndexAsync("items_created_idx", ct);
    }

    public override async Task Up(PostgresContext db, CancellationToken ct)
    {
        await db.ExecuteAsync("DROP INDEX CONCURRENTLY IF EXISTS items_payload_idx", ct);
        await db.ExecuteAsync("CREATE INDEX CONCURRENTLY IF NOT EXISTS items_payload_idx ON items (payload)", ct);
        await db.ExecuteAsync(Pause.Sql, ct);
        await db.ExecuteAsync("DROP INDEX CONCURRENTLY IF EXISTS items_created_idx", ct);
        await db.ExecuteAsync("CREATE INDEX CONCURRENTLY IF NOT EXISTS items_created_idx ON items (created_at)", ct);
    }

    public override async Task Down(PostgresContext db, CancellationToken ct)
    {
        await db.ExecuteAsync("DROP INDEX CONCURRENTLY IF EXISTS items_created_idx", ct);
        await db.ExecuteAsync("DROP INDEX CONCURRENTLY IF EXISTS items_payload_idx", ct);
    }

    public override async Task Validate(PostgresContext db, CancellationToken ct)
    {
        await db.RequireIndexAsync("items_payload_idx", ct);
        await db.RequireIndexAsync("items_created_idx", ct);
    }
}

/// <summary>Adds column <c>note{N}</c> to items, after a pause.</summary>
public abstract class AddNote : PostgresMigration
{
    /// <summary>Which note column.</summary>
    protected abstract int Number { get; }

    private string Column => $"note{Number}";

    public override async Task PreCheck(PostgresContext db, CancellationToken ct) => await db.RequireNoColumnAsync("items", Column, ct);

    public override async Task Up(PostgresContext db, CancellationToken ct)
    {
        await db.ExecuteAsync(Pause.Sql, ct);
        await db.ExecuteAsync($"ALTER TABLE items ADD COLUMN {Column} text", ct);
    }

    public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync($"ALTER TABLE items DROP COLUMN IF EXISTS {Column}", ct);

    public override Task Validate(PostgresContext db, CancellationToken ct) => db.RequireColumnAsync("items", Column, ct);
}

[Migration("1.1.0", 2, Description = "Add note1")]
public sealed class AddNote1 : AddNote
{
    protected override int Number => 1;
}

[Migration("1.1.0", 3, Description = "Add note2")]
public sealed class AddNote2 : AddNote
{
    protected override int Number => 2;
}

[Migration("1.1.0", 4, Description = "Add note3")]
public sealed class AddNote3 : AddNote
{
    protected override int Number => 3;
}

[Migration("1.1.0", 5, Description = "Add note4")]
public sealed class AddNote4 : AddNote
{
    protected override int Number => 4;
}

[Migration("1.1.0", 6, Description = "Add note5")]
public sealed class AddNote5 : AddNote
{
    protected override int Number => 5;
}

[Migration("1.2.0", 1, Description = "Create the tags table")]
public sealed class CreateTags : PostgresMigration
{
    public override async Task PreCheck(PostgresContext db, CancellationToken ct) => await db.RequireNoTableAsync("tags", ct);

    public override async Task Up(PostgresContext db, CancellationToken ct)
    {
        await db.ExecuteAsync("CREATE TABLE tags (item_id bigint NOT NULL REFERENCES items (id), tag text NOT NULL)", ct);
        await db.ExecuteAsync(Pause.Sql, ct);
    }

    public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("DROP TABLE IF EXISTS tags", ct);

    public override Task Validate(PostgresContext db, CancellationToken ct) => db.RequireTableAsync("tags", ct);
}

[Migration("1.2.0", 2, Description = "Index tags by item")]
[NonTransactional("CREATE INDEX CONCURRENTLY keeps tags writable, and PostgreSQL refuses it inside a transaction")]
public sealed class IndexTags : PostgresMigration
{
    public override async Task PreCheck(PostgresContext db, CancellationToken ct) => await db.RequireNoIndexAsync("tags_item_idx", ct);

    public override async Task Up(PostgresContext db, CancellationToken ct)
    {
        await db.ExecuteAsync(Pause.Sql, ct);
        await db.ExecuteAsync("DROP INDEX CONCURRENTLY IF EXISTS tags_item_idx", ct);
        await db.ExecuteAsync("CREATE INDEX CONCURRENTLY IF NOT EXISTS tags_item_idx ON tags (item_id)", ct);
    }

    public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("DROP INDEX CONCURRENTLY IF EXISTS tags_item_idx", ct);

    public override Task Validate(PostgresContext db, CancellationToken ct) => db.RequireIndexAsync("tags_item_idx", ct);
}
