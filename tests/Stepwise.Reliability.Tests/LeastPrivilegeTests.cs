using Npgsql;
using Stepwise.Testing;

namespace Stepwise.Reliability.Tests;

/// <summary>
/// Proves the role split docs/reliability.md documents: a migrator role that owns the application's schema and the
/// runner's, and an application role that can read and write every table the migrations create (now and in later
/// releases, through default privileges) but cannot change the schema or read the runner's records. A Job given the
/// application's credentials by mistake gets exit 11 and the grant it lacks.
/// </summary>
public sealed class LeastPrivilegeTests(PostgresServer server)
{
    private const string Password = "Least-Priv-Pw-8d0e";

    [Fact]
    public async Task MigratorAndApplicationRoles_EachCanDoTheirJobAndNoMore()
    {
        await using var db = await server.CreateDatabaseAsync("privileges");
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var (migrator, app) = ($"migrator_{suffix}", $"app_{suffix}");
        await db.ExecuteAsync(
            $"""
            CREATE ROLE {migrator} LOGIN PASSWORD '{Password}';
            CREATE ROLE {app} LOGIN PASSWORD '{Password}';
            REVOKE ALL ON DATABASE "{db.Name}" FROM PUBLIC;
            GRANT CONNECT, CREATE ON DATABASE "{db.Name}" TO {migrator};
            GRANT CONNECT ON DATABASE "{db.Name}" TO {app};
            CREATE SCHEMA app AUTHORIZATION {migrator};
            ALTER ROLE {migrator} IN DATABASE "{db.Name}" SET search_path = app;
            ALTER ROLE {app} IN DATABASE "{db.Name}" SET search_path = app;
            GRANT USAGE ON SCHEMA app TO {app};
            ALTER DEFAULT PRIVILEGES FOR ROLE {migrator} IN SCHEMA app GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {app};
            ALTER DEFAULT PRIVILEGES FOR ROLE {migrator} IN SCHEMA app GRANT USAGE, SELECT ON SEQUENCES TO {app};
            """);
        try
        {
            var asMigrator = Connect(db, migrator);
            var asApp = Connect(db, app);

            var misconfigured = await Drill.RunAsync(asApp, "install", "--version", "1.0.0");
            Assert.Equal(11, misconfigured.ExitCode);
            Assert.Contains($"The database user '{app}' lacks a privilege", misconfigured.Error, StringComparison.Ordinal);

            var install = await Drill.RunAsync(asMigrator, "install", "--version", "1.1.0");
            Assert.True(install.ExitCode == 0, install.ToString());
            Assert.Equal("app", await db.ScalarAsync<string>("SELECT table_schema FROM information_schema.tables WHERE table_name = 'items'"));
            var upgrade = await Drill.RunAsync(asMigrator, "upgrade");
            Assert.True(upgrade.ExitCode == 0, upgrade.ToString());

            // The application works with the tables of both releases, through default privileges alone.
            await ExecuteAsync(asApp, "INSERT INTO items (id, payload) VALUES (-1, 'from the app'); INSERT INTO tags (item_id, tag) VALUES (-1, 'x'); UPDATE items SET note1 = 'n' WHERE id = -1;");
            Assert.Equal(20001L, await ScalarAsync<long>(asApp, "SELECT count(*) FROM items"));

            // And no more: no schema changes, no access to the runner's records.
            await AssertDeniedAsync(asApp, "CREATE TABLE app.sneaky (id int)");
            await AssertDeniedAsync(asApp, "ALTER TABLE items ADD COLUMN sneaky int");
            await AssertDeniedAsync(asApp, "DROP TABLE tags");
            await AssertDeniedAsync(asApp, "SELECT count(*) FROM stepwise.applied_migration");
        }
        finally
        {
            await db.DisposeAsync();
            await using var admin = new NpgsqlConnection(server.AdminConnectionString);
            await admin.OpenAsync(TestContext.Current.CancellationToken);
            await using var drop = new NpgsqlCommand($"DROP ROLE IF EXISTS {app}; DROP ROLE IF EXISTS {migrator};", admin);
            await drop.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }
    }

    private static string Connect(TestDatabase db, string role) =>
        new NpgsqlConnectionStringBuilder(db.ConnectionString) { Username = role, Password = Password }.ConnectionString;

    private static async Task ExecuteAsync(string connection, string sql)
    {
        await using var session = new NpgsqlConnection(connection);
        await session.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, session);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    private static async Task<T> ScalarAsync<T>(string connection, string sql)
    {
        await using var session = new NpgsqlConnection(connection);
        await session.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, session);
        return (T)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    private static async Task AssertDeniedAsync(string connection, string sql)
    {
        var denied = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(connection, sql));
        Assert.True(denied.SqlState is PostgresErrorCodes.InsufficientPrivilege, $"{sql}: {denied.SqlState} {denied.MessageText}");
    }
}
