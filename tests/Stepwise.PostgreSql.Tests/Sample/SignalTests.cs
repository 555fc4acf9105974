using System.Diagnostics;
using Npgsql;
using Stepwise.Testing;

namespace Stepwise.PostgreSql.Tests.Sample;

// Kubernetes stops a Job's pod with SIGTERM: the runner must roll the running step back and say so, as a process.
public sealed class SignalTests(PostgresServer server)
{
    private const int Sigterm = 15;

    // .NET can only SIGKILL another process; libc's kill(2) sends the signal Kubernetes sends.
    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    [Fact]
    public async Task Sigterm_DuringAStep_RollsItBackAndExitsCancelled()
    {
        await using var db = await server.CreateDatabaseAsync();

        // An uncommitted table of the same name makes the first migration's CREATE TABLE wait, mid-step (in the rehearsal
        // that the sample's policy dry_run_first runs first).
        await using var blocker = new NpgsqlConnection(db.ConnectionString);
        await blocker.OpenAsync(TestContext.Current.CancellationToken);
        await using var blocking = await blocker.BeginTransactionAsync(TestContext.Current.CancellationToken);
        await using (var create = new NpgsqlCommand("CREATE TABLE users (id int)", blocker, blocking))
        {
            await create.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var sample = BuiltExecutable.Dll("samples/ECommerce.Migrations", "ECommerce.Migrations");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { sample, "install", "--version", "1.0.0", "--connection", db.ConnectionString })
        {
            start.ArgumentList.Add(arg);
        }

        using var runner = Process.Start(start)!;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromMinutes(1));
        await using var stopOnDeadline = deadline.Token.Register(() => runner.Kill());
        var output = runner.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = new List<string>();
        while (await runner.StandardError.ReadLineAsync(TestContext.Current.CancellationToken) is { } line)
        {
            error.Add(line);
            if (line.Contains("Rehearsing e-commerce-api", StringComparison.Ordinal))
            {
                // Give the step time to reach the waiting statement, then stop the process as Kubernetes would.
                await Task.Delay(TimeSpan.FromMilliseconds(500), TestContext.Current.CancellationToken);
                Assert.Equal(0, Kill(runner.Id, Sigterm));
            }
        }

        await runner.WaitForExitAsync(TestContext.Current.CancellationToken);
        await output;
        var log = string.Join(Environment.NewLine, error);

        Assert.False(deadline.IsCancellationRequested, "The runner did not stop within a minute of SIGTERM:" + Environment.NewLine + log);
        Assert.True(runner.ExitCode == 130, log);
        Assert.Contains("error: Cancelled during CreateUsersTable (1.0.0/upgrade/schema-changes/1). Found in the rehearsal (policy dry_run_first): nothing was applied.",
            log, StringComparison.Ordinal);
        await blocking.RollbackAsync(TestContext.Current.CancellationToken);
        Assert.False(await db.TableExistsAsync("users"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM stepwise.applied_migration"));
        Assert.Equal("failed", await db.ScalarAsync<string>("SELECT outcome FROM stepwise.audit_log ORDER BY id DESC LIMIT 1"));
    }
}
