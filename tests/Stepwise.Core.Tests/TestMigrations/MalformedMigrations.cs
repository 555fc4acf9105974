using Stepwise;

namespace Stepwise.Core.Tests.TestMigrations.Malformed;

// Each class breaks one rule that the runner checks at start, for assemblies built without the analyzers; the build-time
// rules would refuse this file, which is the point of the runtime checks.
#pragma warning disable SW1001, SW1002, SW1003, SW1005, SW1006, SW1008, SW1009, SW1010, SW1011, SW1012

[Migration("1.0", 1)]
public sealed class BadVersion : ThingsMigration
{
    public override Task Up(ThingsContext db, CancellationToken ct) => db.ExecuteAsync("SELECT 1", ct);
}

[Migration("1.0.0", 0)]
public sealed class ZeroOrder : ThingsMigration
{
    public override Task Up(ThingsContext db, CancellationToken ct) => db.ExecuteAsync("SELECT 1", ct);
}

[Migration("1.0.0", 1, Path = MigrationPath.NewInstall, Phase = MigrationPhase.SchemaChanges)]
public sealed class PhaseOfAnotherPath : ThingsMigration
{
    public override Task Up(ThingsContext db, CancellationToken ct) => db.ExecuteAsync("SELECT 1", ct);
}

[Migration("1.0.0", 1, From = "2.0.0")]
public sealed class FromAboveVersion : ThingsMigration
{
    public override Task Up(ThingsContext db, CancellationToken ct) => db.ExecuteAsync("SELECT 1", ct);
}

[Migration("3.0.0", 1)]
public sealed class DuplicateA : ThingsMigration
{
    public override Task Up(ThingsContext db, CancellationToken ct) => db.ExecuteAsync("SELECT 1", ct);
}

[Migration("v3.0.0", 1)]
public sealed class DuplicateB : ThingsMigration
{
    public override Task Up(ThingsContext db, CancellationToken ct) => db.ExecuteAsync("SELECT 2", ct);
}

[Migration("3.0.0", 2)]
[NonTransactional(" ")]
public sealed class EmptyReason : ThingsMigration
{
    public override Task Up(ThingsContext db, CancellationToken ct) => db.ExecuteAsync("SELECT 1", ct);
}

public sealed class WithoutMigrationAttribute : ThingsMigration
{
    public override Task Up(ThingsContext db, CancellationToken ct) => db.ExecuteAsync("SELECT 1", ct);
}
