namespace Stepwise.Core.Tests.Execution.Memory;

// Migrations of the memory engine's tests (project "core-tests", like every migration of this assembly): each adds the
// thing it is named after. Variants share the [Migration] identity of the migration they stand in for.

/// <summary>Adds a thing, checked before and after.</summary>
public abstract class AddThing(string thing) : Migration<MemoryContext>
{
    public override Task PreCheck(MemoryContext db, CancellationToken ct)
    {
        Require(!db.Things.Contains(thing), $"{thing} is not there yet", $"{thing} is there");
        return Task.CompletedTask;
    }

    public override Task Up(MemoryContext db, CancellationToken ct)
    {
        db.Things.Add(thing);
        return Task.CompletedTask;
    }

    public override Task Down(MemoryContext db, CancellationToken ct)
    {
        db.Things.Remove(thing);
        return Task.CompletedTask;
    }

    public override Task Validate(MemoryContext db, CancellationToken ct)
    {
        Require(db.Things.Contains(thing), $"{thing} is there", $"{thing} is missing");
        return Task.CompletedTask;
    }
}

[Migration("9.0.0", 1)]
public sealed class AddApples() : AddThing("apples");

[Migration("9.1.0", 1)]
public sealed class AddPears() : AddThing("pears");

[Migration("9.1.0", 2)]
[NonTransactional("the memory tests' step outside a transaction")]
public sealed class AddPlums() : AddThing("plums");

[Migration("9.1.0", 1)]
public sealed class AddPearsFailingValidate() : AddThing("pears")
{
    public override Task Validate(MemoryContext db, CancellationToken ct) => Task.FromException(new MigrationCheckException("pears are ripe", "pears are green"));
}

[Migration("9.1.0", 1)]
public sealed class AddPearsFailingValidateAndDown() : AddThing("pears")
{
    public override Task Validate(MemoryContext db, CancellationToken ct) => Task.FromException(new MigrationCheckException("pears are ripe", "pears are green"));

    public override Task Down(MemoryContext db, CancellationToken ct) => Task.FromException(new InvalidOperationException("the pears are stuck"));
}

[Migration("9.1.0", 2)]
[NonTransactional("the memory tests' step outside a transaction")]
public sealed class AddPlumsFailingUp() : AddThing("plums")
{
    public override async Task Up(MemoryContext db, CancellationToken ct)
    {
        await base.Up(db, ct);
        throw new InvalidOperationException("the second half failed");
    }
}

/// <summary>Adds pears, like <see cref="AddPears"/>; its PreCheck (not async) marks the execution context, and Up and Validate say what they see of it.</summary>
[Migration("9.1.0", 1)]
public sealed class AddPearsMarkingItsPreCheck() : AddThing("pears")
{
    private static readonly AsyncLocal<string?> Mark = new();

    public static List<string?> SeenAfterPreCheck { get; } = [];

    public override Task PreCheck(MemoryContext db, CancellationToken ct)
    {
        SeenAfterPreCheck.Clear(); // one run at a time uses this migration
        Mark.Value = "set by PreCheck";
        return base.PreCheck(db, ct);
    }

    public override Task Up(MemoryContext db, CancellationToken ct)
    {
        SeenAfterPreCheck.Add(Mark.Value);
        return base.Up(db, ct);
    }

    public override Task Validate(MemoryContext db, CancellationToken ct)
    {
        SeenAfterPreCheck.Add(Mark.Value);
        return base.Validate(db, ct);
    }
}
