using Npgsql;
using Stepwise.Execution;

namespace Stepwise.PostgreSql.Internal;

/// <summary>
/// Samples, while a step runs, the sessions waiting for its locks and its own waits for others' (<c>pg_locks</c>,
/// <c>pg_blocking_pids</c>; the wait's start needs PostgreSQL 14). It looks first after <see cref="FirstLook"/>, so a
/// quick step costs nothing, then every <see cref="Every"/>, on a connection of its own: the step's connection is busy,
/// and the lock connection is the session's.
/// </summary>
internal sealed class LockWatch : IAsyncDisposable
{
    public static readonly TimeSpan FirstLook = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(1);

    private const string Sample =
        """
        WITH waiting AS (
            SELECT l.pid, l.waitstart, pg_blocking_pids(l.pid) AS blockers FROM pg_locks l WHERE NOT l.granted
        )
        SELECT count(DISTINCT pid) FILTER (WHERE @pid = ANY (blockers))::integer,
               COALESCE(extract(epoch FROM max(clock_timestamp() - waitstart) FILTER (WHERE @pid = ANY (blockers))), 0)::float8,
               COALESCE(extract(epoch FROM max(clock_timestamp() - waitstart) FILTER (WHERE pid = @pid)), 0)::float8
        FROM waiting
        """;

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _watching;
    private int _blocked;
    private double _longestBlocked;
    private double _longestWaited;
    private bool _seen;

    private LockWatch(NpgsqlDataSource source, int stepPid)
    {
        _watching = WatchAsync(source, stepPid, _stop.Token);
    }

    /// <summary>Starts watching the backend <paramref name="stepPid"/> runs the step on.</summary>
    public static LockWatch Start(NpgsqlDataSource source, int stepPid) => new(source, stepPid);

    /// <summary>Stops watching and says what was seen.</summary>
    public async Task<StepImpact?> StopAsync()
    {
        await DisposeAsync().ConfigureAwait(false);
        return _seen ? new StepImpact(_blocked, TimeSpan.FromSeconds(_longestBlocked), TimeSpan.FromSeconds(_longestWaited)) : null;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
        }

        await _watching.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    // Watching is best effort: a failure to look (no connection slot left, an older server) ends the watch, never the step.
    private async Task WatchAsync(NpgsqlDataSource source, int stepPid, CancellationToken stop)
    {
        try
        {
            await Task.Delay(FirstLook, stop).ConfigureAwait(false);
            await using var connection = await source.OpenConnectionAsync(stop).ConfigureAwait(false);
            await using var command = connection.Command(Sample, null, [("pid", stepPid)]);
            while (!stop.IsCancellationRequested)
            {
                await using (var reader = await command.ExecuteReaderAsync(stop).ConfigureAwait(false))
                {
                    await reader.ReadAsync(stop).ConfigureAwait(false);
                    _blocked = Math.Max(_blocked, reader.GetInt32(0));
                    _longestBlocked = Math.Max(_longestBlocked, reader.GetDouble(1));
                    _longestWaited = Math.Max(_longestWaited, reader.GetDouble(2));
                    _seen = true;
                }

                await Task.Delay(Every, stop).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or NpgsqlException or InvalidOperationException or TimeoutException)
        {
            // Stopped, or could not look: what was seen so far stands.
        }
    }
}
