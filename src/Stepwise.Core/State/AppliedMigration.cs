namespace Stepwise.State;

/// <summary>A migration the database records as applied, or as failed outside a transaction.</summary>
/// <param name="Key">The migration's history key.</param>
/// <param name="Version">The version as stored.</param>
/// <param name="Name">The class name when it ran.</param>
/// <param name="Checksum">The checksum of the code that ran.</param>
/// <param name="Sequence">Increases with every apply: rollback undoes in exactly the reverse of this order.</param>
/// <param name="AppliedAt">When it was applied (or failed).</param>
/// <param name="Transactional">Whether it ran in a transaction.</param>
public sealed record AppliedMigration(
    string Key,
    string Version,
    string Name,
    string Checksum,
    long Sequence,
    DateTimeOffset AppliedAt,
    bool Transactional);

/// <summary>A non-transactional step that started and never finished.</summary>
/// <param name="Migration">The migration, as recorded when its step started (<see cref="AppliedMigration.AppliedAt"/>: when it started).</param>
/// <param name="Direction">Whether <c>Up</c> or <c>Down</c> was running.</param>
public sealed record InterruptedMigration(AppliedMigration Migration, MigrationDirection Direction);
