using Stepwise.Execution;
using Stepwise.PostgreSql;
using Stepwise.Testing;

namespace Stepwise.Specification.Tests.PostgreSql;

/// <summary>The lifecycle specification on PostgreSQL.</summary>
public sealed class PostgresLifecycleTests(PostgresServer server) : LifecycleSpecification(new PostgresUnderTest(server));

internal sealed class PostgresUnderTest(PostgresServer server) : IEngineUnderTest
{
    public IDatabaseEngine Engine { get; } = new PostgresEngine();

    public SpecMigrations Migrations { get; } = new(
        typeof(CreateWidgets), typeof(CreateGadgets), typeof(CreateGizmos), typeof(CreateGadgetsFailingValidate), typeof(CreateGadgetsFailingUp),
        typeof(CreateGizmosFailingUp), typeof(CreateGadgetsFailingDown), typeof(CreateGadgetsChanged),
        typeof(CreateGadgetsChangingWidgets), typeof(CreateGizmosInterrupted));

    public async Task<ISpecDatabase> CreateDatabaseAsync() => new PostgresSpecDatabase(await server.CreateDatabaseAsync("spec"));

    private sealed class PostgresSpecDatabase(TestDatabase db) : ISpecDatabase
    {
        public SessionOptions Session { get; } = new(new DatabaseEndpoint { ConnectionString = db.ConnectionString });

        public Task<bool> HasAsync(string name) => db.TableExistsAsync(name);

        public Task CreateAsync(string name) => db.ExecuteAsync($"CREATE TABLE {name} (id bigint)");

        public async Task<long?> CountAsync(string store) =>
            await db.TableExistsAsync(store) ? await db.ScalarAsync<long>($"SELECT count(*) FROM {store}") : null;

        public Task AddRowsAsync(string store, int count) => db.ExecuteAsync($"INSERT INTO {store} (id) SELECT generate_series(1, {count})");

        public ValueTask DisposeAsync() => db.DisposeAsync();
    }
}
