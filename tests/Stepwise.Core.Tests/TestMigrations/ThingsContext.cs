namespace Stepwise.Core.Tests.TestMigrations;

/// <summary>
/// The context of Core's test migrations: Core is tested without an engine, and these migrations are read, never run.
/// </summary>
public sealed class ThingsContext : IMigrationContext
{
    public string Project => "core-tests";

    public string? Environment => null;

    public MigrationDirection Direction => MigrationDirection.Up;

    public Task ExecuteAsync(string statement, CancellationToken ct) => Task.FromException(new NotSupportedException($"Core's test migrations are not run: {statement}"));

    public Task RequireTableAsync(string table, CancellationToken ct) => ExecuteAsync(table, ct);

    public Task RequireNoTableAsync(string table, CancellationToken ct) => ExecuteAsync(table, ct);
}

/// <summary>The base of Core's test migrations.</summary>
public abstract class ThingsMigration : Migration<ThingsContext>;
