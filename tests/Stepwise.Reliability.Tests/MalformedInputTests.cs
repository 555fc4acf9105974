using System.Text.RegularExpressions;
using Npgsql;
using Stepwise.Testing;

namespace Stepwise.Reliability.Tests;

/// <summary>
/// A database the corpus runs against: owned by a role whose password is the canary, with the drill installed at 1.0.0,
/// and the configuration files the corpus names.
/// </summary>
public sealed class CorpusDatabase(PostgresServer server) : IAsyncLifetime
{
    public const string Canary = "Canary-Pw-7f3a91";

    private readonly string _role = $"canary_{Guid.NewGuid():N}"[..20];

    public TestDatabase Database { get; private set; } = null!;

    public NpgsqlConnectionStringBuilder Settings { get; private set; } = null!;

    public string Folder { get; } = Directory.CreateTempSubdirectory("stepwise-corpus-").FullName;

    public async ValueTask InitializeAsync()
    {
        Database = await server.CreateDatabaseAsync("corpus");
        await Database.ExecuteAsync(
            $"""
            CREATE ROLE {_role} LOGIN PASSWORD '{Canary}';
            ALTER DATABASE "{Database.Name}" OWNER TO {_role};
            GRANT ALL ON SCHEMA public TO {_role};
            """);
        Settings = new NpgsqlConnectionStringBuilder(Database.ConnectionString) { Username = _role, Password = Canary };
        var install = await Drill.RunInProcessAsync(null, "install", "--version", "1.0.0", "--connection", Settings.ConnectionString);
        Assert.True(install.ExitCode == 0, install.ToString());

        foreach (var (name, text) in MalformedInputs.ConfigFiles)
        {
            await File.WriteAllTextAsync(Path.Combine(Folder, name), text.Replace("{pw}", Canary, StringComparison.Ordinal));
        }

        await File.WriteAllBytesAsync(Path.Combine(Folder, "garbage.yaml"), [0x00, 0xff, 0xfe, 0x1b, 0x5b, 0x32, 0x4a, 0x0a, 0x80, 0x7b, 0x3a]);
        await File.WriteAllBytesAsync(Path.Combine(Folder, "empty.dll"), []);
        Directory.CreateDirectory(Path.Combine(Folder, "no-migrations"));
        await File.WriteAllTextAsync(Path.Combine(Folder, "no-migrations", "readme.txt"), "not an assembly");
    }

    /// <summary>What the database holds that a run could change: objects outside the catalogs, and every record of the runner.</summary>
    public Task<string?> SnapshotAsync() => Database.ScalarAsync<string>(
        """
        SELECT concat_ws(' | ',
            (SELECT string_agg(n.nspname || '.' || c.relname || ':' || c.relkind::text, ',' ORDER BY n.nspname, c.relname)
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_%'),
            (SELECT count(*) FROM stepwise.migration_history),
            (SELECT count(*) FROM stepwise.audit_log),
            (SELECT string_agg(project || '=' || coalesce(current_version, '-'), ',') FROM stepwise.project_metadata),
            (SELECT string_agg(migration_key || ' ' || status || ' ' || checksum, ',' ORDER BY sequence) FROM stepwise.applied_migration),
            (SELECT max(version) FROM stepwise.schema_version))
        """);

    public async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync();
        await using (var admin = new NpgsqlConnection(server.AdminConnectionString))
        {
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP ROLE IF EXISTS {_role}", admin);
            await drop.ExecuteNonQueryAsync();
        }

        Directory.Delete(Folder, recursive: true);
    }
}

/// <summary>
/// Proves: each of at least 80 malformed inputs (arguments and their values, environment variables, connection strings,
/// configuration files, versions, assembly paths) ends with one error line, its documented exit code, no stack trace, no
/// change to the database, and no trace of the canary password in anything written, at the default log level and at
/// trace.
/// </summary>
public sealed partial class MalformedInputTests(CorpusDatabase corpus) : IClassFixture<CorpusDatabase>
{
    public static TheoryData<MalformedInput> Corpus => [.. MalformedInputs.All];

    [Fact]
    public void TheCorpus_HoldsAtLeastEightyInputs() => Assert.True(MalformedInputs.All.Count >= 80, $"{MalformedInputs.All.Count} inputs");

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task MalformedInput_GetsOneErrorLineItsExitCodeAndNoChange(MalformedInput input)
    {
        var before = await corpus.SnapshotAsync();
        // The level goes first, so that it can neither take an option's missing value nor be taken as one.
        foreach (var level in input.Args.Contains("--log-level") ? [null] : new[] { null, "trace" })
        {
            var args = input.Args.Select(Expand).ToList();
            if (level is not null)
            {
                args.InsertRange(0, ["--log-level", level]);
            }

            var environment = input.Environment?.ToDictionary(static e => e.Key, e => Expand(e.Value));
            var run = input.GenericRunner
                ? await BuiltExecutable.Start(BuiltExecutable.Dll("src/Stepwise.Runner", "Stepwise.Runner"), args, environment).FinishAsync()
                : await Drill.RunInProcessAsync(environment, [.. args]);
            var what = $"{input} at log level {level ?? "default"}:\n{run}";

            Assert.True(run.ExitCode == input.ExitCode, $"expected exit {input.ExitCode}, {what}");
            Assert.Contains(Expand(input.Expected), run.Error, StringComparison.Ordinal);
            Assert.Single(run.Error.Split('\n'), static line => line.StartsWith("error: ", StringComparison.Ordinal));
            Assert.DoesNotMatch(StackFrame(), run.All);
            Assert.DoesNotContain(CorpusDatabase.Canary, run.All, StringComparison.Ordinal);
            Assert.DoesNotContain('\u001b', run.All);
            Assert.True(run.Error.Length < 4000, $"{run.Error.Length} characters of errors: {what}");
        }

        Assert.Equal(before, await corpus.SnapshotAsync());
    }

    private string Expand(string text) => text
        .Replace("{conn}", corpus.Settings.ConnectionString, StringComparison.Ordinal)
        .Replace("{host}", corpus.Settings.Host, StringComparison.Ordinal)
        .Replace("{port}", corpus.Settings.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("{db}", corpus.Settings.Database, StringComparison.Ordinal)
        .Replace("{user}", corpus.Settings.Username, StringComparison.Ordinal)
        .Replace("{pw}", CorpusDatabase.Canary, StringComparison.Ordinal)
        .Replace("{dir}", corpus.Folder, StringComparison.Ordinal);

    [GeneratedRegex(@"^\s+at \S+\(", RegexOptions.Multiline)]
    private static partial Regex StackFrame();
}
