using Npgsql;
using Stepwise.Execution;
using Stepwise.Verification;

namespace Stepwise.PostgreSql.Internal;

/// <summary>
/// A database created from <c>template0</c> (so nothing a DBA added to <c>template1</c> appears in it) next to the one the
/// connection names, on the same server and with the same credentials; dropped, with any session still in it, when disposed.
/// </summary>
internal sealed class PostgresScratchDatabase : IScratchDatabase
{
    private readonly NpgsqlConnectionStringBuilder _home;
    private readonly string _name;
    private readonly NpgsqlConnection _reader;
    private SchemaDump? _dump;

    private PostgresScratchDatabase(NpgsqlConnectionStringBuilder home, string name, SessionOptions session, NpgsqlConnection reader, SchemaDump? dump)
    {
        _home = home;
        _name = name;
        Session = session;
        _reader = reader;
        _dump = dump;
    }

    public SessionOptions Session { get; }

    public static async Task<PostgresScratchDatabase> CreateAsync(SessionOptions options, string project, CancellationToken cancellationToken)
    {
        var home = ConnectionSettings.Build(options.Endpoint, options.ApplicationName, options.CommandTimeout);
        ConnectionSettings.RequireTls(home, options.Profile);
        var name = $"stepwise_verify_{new string(project.Select(static c => char.IsAsciiLetterOrDigit(c) ? c : '_').Take(30).ToArray())}_{Guid.NewGuid():N}";
        name = name.Length > 63 ? name[..63] : name; // PostgreSQL's limit; at least 16 random hex digits remain
        await using (var connection = new NpgsqlConnection(home.ConnectionString))
        {
            try
            {
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                throw ConnectionSettings.Explain(ex, home, options.Endpoint);
            }

            try
            {
                await connection.RunAsync($"CREATE DATABASE {SqlIdentifier.Quote(name)} TEMPLATE template0", null, cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege)
            {
                throw new StepwiseException(FailureKind.Permission,
                    $"verify-rollback creates a scratch database next to '{EchoedInput.Show(home.Database)}', and user '{EchoedInput.Show(home.Username)}' " +
                    $"may not ({ex.MessageText}). Run it as a user with CREATEDB, on a throwaway server (as in CI).", ex);
            }
        }

        var scratch = new NpgsqlConnectionStringBuilder(home.ConnectionString) { Database = name };
        var reader = new NpgsqlConnection(scratch.ConnectionString);
        try
        {
            await reader.OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await reader.DisposeAsync().ConfigureAwait(false);
            await DropAsync(home, name).ConfigureAwait(false);
            throw;
        }

        var session = options with { Endpoint = new DatabaseEndpoint { ConnectionString = scratch.ConnectionString } };
        var dump = await SchemaDump.FindAsync(scratch, reader.PostgreSqlVersion, cancellationToken).ConfigureAwait(false);
        return new PostgresScratchDatabase(home, name, session, reader, dump);
    }

    public async Task<SchemaSnapshot> SnapshotAsync(CancellationToken cancellationToken)
    {
        var facts = await SchemaFacts.ReadAsync(_reader, cancellationToken).ConfigureAwait(false);
        var dump = _dump is null ? null : await _dump.ReadAsync(cancellationToken).ConfigureAwait(false);
        if (dump is null)
        {
            _dump = null; // A dump that failed once (permissions, a server it cannot read) is not tried again for this database.
        }

        return new SchemaSnapshot(facts.Facts, dump);
    }

    public async ValueTask DisposeAsync()
    {
        await _reader.DisposeAsync().ConfigureAwait(false);
        await DropAsync(_home, _name).ConfigureAwait(false);
    }

    private static async Task DropAsync(NpgsqlConnectionStringBuilder home, string name)
    {
        await using var connection = new NpgsqlConnection(home.ConnectionString);
        await connection.OpenAsync(CancellationToken.None).ConfigureAwait(false);
        await connection.RunAsync($"DROP DATABASE IF EXISTS {SqlIdentifier.Quote(name)} WITH (FORCE)", null, CancellationToken.None).ConfigureAwait(false);
    }
}
