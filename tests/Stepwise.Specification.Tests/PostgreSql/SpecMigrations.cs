using Stepwise.PostgreSql;

namespace Stepwise.Specification.Tests.PostgreSql;

// The specification's migrations on PostgreSQL: each creates the table it is named after. The failing variants share
// the [Migration] identity of the migration they stand in for.

/// <summary>Creates a table, checked before and after; the base of the specification's migrations.</summary>
public abstract class CreateTable(string table) : PostgresMigration
{
    public override async Task PreCheck(PostgresContext db, CancellationToken ct) => await db.RequireNoTableAsync(table, ct);

    public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync($"CREATE TABLE {table} (id bigint)", ct);

    public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync($"DROP TABLE {table}", ct);

    public override async Task Validate(PostgresContext db, CancellationToken ct) => await db.RequireTableAsync(table, ct);
}

[Migration("1.0.0", 1)]
public sealed class CreateWidgets() : CreateTable("widgets");

[Migration("1.1.0", 1)]
public sealed class CreateGadgets() : CreateTable("gadgets");

[Migration("1.1.0", 2)]
[NonTransactional("the specification's step outside a transaction")]
public sealed class CreateGizmos() : CreateTable("gizmos");

[Migration("1.1.0", 1)]
public sealed class CreateGadgetsFailingValidate() : CreateTable("gadgets")
{
    public override Task Validate(PostgresContext db, CancellationToken ct) => Task.FromException(new MigrationCheckException("gadgets has rows"));
}

[Migration("1.1.0", 1)]
public sealed class CreateGadgetsFailingUp() : CreateTable("gadgets")
{
    public override async Task Up(PostgresContext db, CancellationToken ct)
    {
        await base.Up(db, ct);
        throw new InvalidOperationException("the second statement failed");
    }
}

[Migration("1.1.0", 2)]
[NonTransactional("the specification's step outside a transaction")]
public sealed class CreateGizmosFailingUp() : CreateTable("gizmos")
{
    public override async Task Up(PostgresContext db, CancellationToken ct)
    {
        await base.Up(db, ct);
        throw new InvalidOperationException("the second statement failed");
    }
}

[Migration("1.1.0", 1)]
public sealed class CreateGadgetsFailingDown() : CreateTable("gadgets")
{
    public override Task Down(PostgresContext db, CancellationToken ct) => Task.FromException(new InvalidOperationException("cannot drop gadgets"));
}

[Migration("1.1.0", 1)]
public sealed class CreateGadgetsChanged() : CreateTable("gadgets")
{
    public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("CREATE TABLE gadgets (id bigint, name text)", ct);
}

[Migration("1.1.0", 1)]
[Changes("widgets")]
public sealed class CreateGadgetsChangingWidgets() : CreateTable("gadgets")
{
    public override async Task Up(PostgresContext db, CancellationToken ct)
    {
        await base.Up(db, ct);
        await db.ExecuteAsync("INSERT INTO widgets (id) VALUES (-1)", ct);
    }

    public override async Task Down(PostgresContext db, CancellationToken ct)
    {
        await db.ExecuteAsync("DELETE FROM widgets WHERE id = -1", ct);
        await base.Down(db, ct);
    }
}

[Migration("1.1.0", 2)]
[NonTransactional("the specification's step outside a transaction")]
public sealed class CreateGizmosInterrupted() : CreateTable("gizmos")
{
    public override async Task Up(PostgresContext db, CancellationToken ct)
    {
        await base.Up(db, ct);
        Interruption.Stop();
    }
}
