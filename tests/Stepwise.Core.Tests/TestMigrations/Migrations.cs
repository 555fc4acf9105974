using Stepwise;

[assembly: MigrationProject("core-tests")]

namespace Stepwise.Core.Tests.TestMigrations;

// Discovery reads these classes' attributes and build-time checksums; none of them runs.

[Migration("v1.0.0", 1, Description = "Create things")]
public sealed class CreateThings : ThingsMigration
{
    public override Task PreCheck(ThingsContext db, CancellationToken ct) => db.ExecuteAsync("SELECT 1", ct);

    public override Task Up(ThingsContext db, CancellationToken ct) => db.ExecuteAsync("CREATE TABLE IF NOT EXISTS things (id int)", ct);

    public override Task Down(ThingsContext db, CancellationToken ct) => db.ExecuteAsync("DROP TABLE things", ct);

    public override Task Validate(ThingsContext db, CancellationToken ct) => db.ExecuteAsync("SELECT 1 FROM things", ct);
}

[Migration("1.1.0", 1, Phase = MigrationPhase.DataMigration, From = "1.0.0")]
[Irreversible("the old values are not kept")]
public sealed class RewriteThings : ThingsMigration
{
    public override Task PreCheck(ThingsContext db, CancellationToken ct) => db.ExecuteAsync("SELECT 1", ct);

    public override Task Up(ThingsContext db, CancellationToken ct) => db.ExecuteAsync("UPDATE things SET id = id + 1", ct);

    public override Task Validate(ThingsContext db, CancellationToken ct) => db.ExecuteAsync("SELECT 1 FROM things", ct);
}

[Migration("1.1.0", 2)]
[NonTransactional("CREATE INDEX CONCURRENTLY cannot run in a transaction")]
public sealed class IndexThings : ThingsMigration
{
    public override Task PreCheck(ThingsContext db, CancellationToken ct) => db.ExecuteAsync("SELECT 1", ct);

    public override Task Up(ThingsContext db, CancellationToken ct) => db.ExecuteAsync("CREATE INDEX CONCURRENTLY IF NOT EXISTS things_id ON things (id)", ct);

    public override Task Down(ThingsContext db, CancellationToken ct) => db.ExecuteAsync("DROP INDEX CONCURRENTLY IF EXISTS things_id", ct);

    public override Task Validate(ThingsContext db, CancellationToken ct) => db.ExecuteAsync("SELECT 1", ct);
}

[Migration("2.0.0", 1, Path = MigrationPath.NewInstall, Phase = MigrationPhase.Indexes)]
public sealed class InstallThingsIndexes : ThingsMigration
{
    public override Task PreCheck(ThingsContext db, CancellationToken ct) => db.ExecuteAsync("SELECT 1", ct);

    public override Task Up(ThingsContext db, CancellationToken ct) => db.ExecuteAsync("CREATE INDEX IF NOT EXISTS things_id ON things (id)", ct);

    public override Task Down(ThingsContext db, CancellationToken ct) => db.ExecuteAsync("DROP INDEX things_id", ct);

    public override Task Validate(ThingsContext db, CancellationToken ct) => db.ExecuteAsync("SELECT 1", ct);
}

public static class Releases
{
    public const string Fifth = "5.0.0";
}

// A constant instead of a literal: the build cannot record these attributes, so discovery reads them from the class.
[Migration(Releases.Fifth, 1, Description = "Archive things")]
[Changes("things")]
public sealed class ArchiveThings : ThingsMigration
{
    public override Task PreCheck(ThingsContext db, CancellationToken ct) => db.ExecuteAsync("SELECT 1", ct);

    public override Task Up(ThingsContext db, CancellationToken ct) => db.ExecuteAsync("CREATE TABLE things_archive AS TABLE things", ct);

    public override Task Down(ThingsContext db, CancellationToken ct) => db.ExecuteAsync("DROP TABLE things_archive", ct);

    public override Task Validate(ThingsContext db, CancellationToken ct) => db.ExecuteAsync("SELECT 1 FROM things_archive", ct);
}

[Migration("5.0.0", 2, Description = "Trim things")]
[Changes("things", "things_archive")]
public sealed class TrimThings : ThingsMigration
{
    public override Task PreCheck(ThingsContext db, CancellationToken ct) => db.ExecuteAsync("SELECT 1", ct);

    public override Task Up(ThingsContext db, CancellationToken ct) => db.ExecuteAsync("DELETE FROM things WHERE id < 0", ct);

    public override Task Down(ThingsContext db, CancellationToken ct) => db.ExecuteAsync("INSERT INTO things SELECT id FROM things_archive WHERE id < 0", ct);

    public override Task Validate(ThingsContext db, CancellationToken ct) => db.ExecuteAsync("SELECT 1 FROM things", ct);
}
