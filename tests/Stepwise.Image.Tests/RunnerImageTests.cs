using Npgsql;
using Stepwise.Testing;

namespace Stepwise.Image.Tests;

/// <summary>
/// Proves the runner image a team builds from its Containerfile: its entrypoint installs, upgrades and rolls back the
/// sample against a real PostgreSQL with credentials passed as the chart passes them (variables from a Secret, the
/// password as a mounted file), as a non-root numeric user that writes nothing but its termination message.
/// </summary>
public sealed class RunnerImageTests(PostgresServer server, RunnerImage image)
{
    [Fact]
    public async Task Image_InstallsMigratesAndRollsBackTheSample_WithTheChartsWayOfPassingCredentials()
    {
        await using var db = await server.CreateDatabaseAsync();
        var settings = db.Settings;
        using var secret = new SecretFolder(("password", settings.Password!));
        var environment = new Dictionary<string, string>
        {
            ["DB_HOST"] = settings.Host!,
            ["DB_PORT"] = settings.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DB_NAME"] = settings.Database!,
            ["DB_USER"] = settings.Username!,
            ["DB_PASSWORD_FILE"] = "/var/run/secrets/stepwise/db/password",
            ["STEPWISE_CONNECTION_SOURCE"] = "Secret 'shop-db'",
        };
        var mounts = new Dictionary<string, string> { [secret.Path] = "/var/run/secrets/stepwise/db" };
        TestContext.Current.TestOutputHelper?.WriteLine(image.BuildLog);
        TestContext.Current.TestOutputHelper?.WriteLine("entrypoint run with " + image.Runtime);

        var install = await image.RunAsync(["install", "--version", "1.1.0"], environment, mounts);
        var before = await image.RunAsync(["migrate", "--version", "2.0.0", "--defer-post-upgrade", "--log-format", "json"], environment, mounts);
        var after = await image.RunAsync(["migrate", "--version", "2.0.0"], environment, mounts);
        var rollback = await image.RunAsync(["rollback", "--version", "1.1.0"], environment, mounts);

        Assert.True(install.ExitCode == 0, install.ToString());
        Assert.True(before.ExitCode == 0, before.ToString());
        Assert.StartsWith("{", before.Error.TrimStart(), StringComparison.Ordinal);
        Assert.True(after.ExitCode == 0, after.ToString());
        Assert.True(rollback.ExitCode == 0, rollback.ToString());
        Assert.False(await db.TableExistsAsync("order_items"));
        Assert.True(await db.TableExistsAsync("orders"));
        Assert.Equal("1.1.0", await db.ScalarAsync<string>("SELECT current_version FROM stepwise.project_metadata"));
        foreach (var run in new[] { install, before, after, rollback })
        {
            Assert.DoesNotContain(settings.Password!, run.Output + run.Error, StringComparison.Ordinal);
            Assert.Empty(run.WrittenFiles);
        }
    }

    [Fact]
    public async Task Image_ReadsAWholeConnectionStringFromAMountedFile()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var secret = new SecretFolder(("connection", db.ConnectionString));

        var run = await image.RunAsync(["install", "--version", "1.0.0"],
            new Dictionary<string, string> { ["STEPWISE_CONNECTION_FILE"] = "/var/run/secrets/stepwise/db/connection" },
            new Dictionary<string, string> { [secret.Path] = "/var/run/secrets/stepwise/db" });

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(await db.TableExistsAsync("users"));
    }

    [Fact]
    public async Task FailedRun_LeavesItsOneLineSummaryAsTheTerminationMessage_AndNothingElse()
    {
        await using var db = await server.CreateDatabaseAsync();
        var settings = db.Settings;
        using var secret = new SecretFolder(("password", "not-the-password"));

        var run = await image.RunAsync(["install"], new Dictionary<string, string>
        {
            ["DB_HOST"] = settings.Host!,
            ["DB_PORT"] = settings.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DB_NAME"] = settings.Database!,
            ["DB_USER"] = settings.Username!,
            ["DB_PASSWORD_FILE"] = "/var/run/secrets/stepwise/db/password",
            ["STEPWISE_TERMINATION_LOG"] = "/tmp/termination-log",
        }, new Dictionary<string, string> { [secret.Path] = "/var/run/secrets/stepwise/db" });

        Assert.Equal(8, run.ExitCode);
        Assert.StartsWith("stepwise exit 8: PostgreSQL at", run.TerminationMessage, StringComparison.Ordinal);
        Assert.Contains("refused the credentials", run.TerminationMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", run.TerminationMessage + run.Error, StringComparison.Ordinal);
        Assert.Equal(["/tmp/termination-log"], run.WrittenFiles);
    }

    [Fact]
    public async Task Image_RunsTheRunnerAsANonRootNumericUser()
    {
        Assert.Equal("10001:10001", await image.InspectAsync("{{.OCIv1.Config.User}}"));
        Assert.Equal("[/app/runner]", await image.InspectAsync("{{.OCIv1.Config.Entrypoint}}"));
    }

    /// <summary>A folder standing in for a mounted Secret; deleted after the test.</summary>
    private sealed class SecretFolder : IDisposable
    {
        public SecretFolder(params (string Key, string Value)[] entries)
        {
            Path = Directory.CreateTempSubdirectory("stepwise-secret-").FullName;
            foreach (var (key, value) in entries)
            {
                File.WriteAllText(System.IO.Path.Combine(Path, key), value);
            }

            // As the chart's Jobs present a Secret: files of root, group fsGroup (the runner's group, 10001), mode 0440.
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(Path, (UnixFileMode)0b111_101_101);
                foreach (var file in Directory.GetFiles(Path))
                {
                    File.SetUnixFileMode(file, (UnixFileMode)0b100_100_000);
                    using var chgrp = System.Diagnostics.Process.Start("chgrp", ["10001", file]);
                    chgrp.WaitForExit();
                    Assert.Equal(0, chgrp.ExitCode);
                }
            }
        }

        public string Path { get; }

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
