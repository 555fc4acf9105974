using Stepwise;

namespace Stepwise.Core.Tests.TestMigrations;

// Where Down and Validate come from: the class itself (in either part of a partial class), or a base class of the
// team's own, which the build's record of the class's declarations cannot see.

/// <summary>A team's base class that supplies the rollback and the validation for the tables its migrations create.</summary>
public abstract class TableMigration : ThingsMigration
{
    protected abstract string Table { get; }

    public override Task Down(ThingsContext db, CancellationToken ct) => db.ExecuteAsync($"DROP TABLE {Table}", ct);

    public override Task Validate(ThingsContext db, CancellationToken ct) => db.RequireTableAsync(Table, ct);
}

[Migration("4.0.0", 1, Description = "Create gadgets, checked and rolled back by its base class")]
public sealed class CreateGadgets : TableMigration
{
    protected override string Table => "gadgets";

    public override Task PreCheck(ThingsContext db, CancellationToken ct) => db.RequireNoTableAsync("gadgets", ct);

    public override Task Up(ThingsContext db, CancellationToken ct) => db.ExecuteAsync("CREATE TABLE gadgets (id int)", ct);
}

[Migration("4.0.0", 2, Description = "Create widgets, its checks in another part")]
public sealed partial class CreateWidgets : ThingsMigration
{
    public override Task PreCheck(ThingsContext db, CancellationToken ct) => db.RequireNoTableAsync("widgets", ct);

    public override Task Up(ThingsContext db, CancellationToken ct) => db.ExecuteAsync("CREATE TABLE widgets (id int)", ct);
}

public sealed partial class CreateWidgets
{
    public override Task Down(ThingsContext db, CancellationToken ct) => db.ExecuteAsync("DROP TABLE widgets", ct);

    public override Task Validate(ThingsContext db, CancellationToken ct) => db.RequireTableAsync("widgets", ct);
}
