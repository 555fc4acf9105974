using System.Collections.Concurrent;
using Npgsql;
using Stepwise.Catalog;
using Stepwise.Execution;

namespace Stepwise.PostgreSql.Internal;

/// <summary>
/// A step's record: its history row, its applied state (<see cref="LedgerRules"/>) and the project's version, written
/// with the step's commit, or in a transaction of its own for work that committed as it went and for failures.
/// </summary>
internal static class StepBookkeeping
{
    /// <summary>Records a step in a transaction of its own: a failure, or a step whose statements committed as they went.</summary>
    public static async Task RecordAloneAsync(NpgsqlConnection connection, StepRecord record, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await RecordAndCommitAsync(connection, record, transaction, waitForFlush: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes a step's history row, its applied state and the project version, and commits the transaction, in one
    /// round trip: a separate COMMIT was a fifth of a step's round trips. Npgsql sees the COMMIT and marks the transaction
    /// completed. Should any statement fail, the server skips the rest of the batch, COMMIT included, and the caller
    /// rolls back as before.
    /// </summary>
    /// <param name="connection">The work connection, which holds the step's transaction.</param>
    /// <param name="record">The step and how it went.</param>
    /// <param name="transaction">The step's transaction, committed here.</param>
    /// <param name="waitForFlush">
    /// <c>false</c> for a transactional step: its commit returns before the server has flushed it to disk. The run's
    /// last write (the end of its audit row, <see cref="PostgresSession.EndRunAsync"/>) waits for its own flush, and the log is written in order, so that flush
    /// makes every earlier commit of the run durable too, before the runner reports anything. Should the server
    /// crash first, a step's changes and its bookkeeping are lost together, and the next run simply applies it again.
    /// Work outside a transaction (a non-transactional step, a failure) is recorded durably at once.
    /// </param>
    /// <param name="cancellationToken">Cancels the batch.</param>
    /// <param name="checks">
    /// Checks held back from the step's closing phase. They go first in the batch: one that fails stops it before the
    /// commit and surfaces as the <see cref="MigrationCheckException"/> it would have been at once.
    /// </param>
    public static async Task RecordAndCommitAsync(NpgsqlConnection connection, StepRecord record, NpgsqlTransaction transaction, bool waitForFlush,
        CancellationToken cancellationToken, DeferredChecks? checks = null)
    {
        var step = record.Start;
        var migration = step.Migration;
        var status = record.Status switch { StepStatus.Succeeded => "succeeded", StepStatus.Failed => "failed", _ => "interrupted" };
        var direction = step.Direction == MigrationDirection.Up ? "up" : "down";

        var taken = checks is { IsEmpty: false } ? checks.Take() : DeferredChecks.Taken.None;
        var bookkeeping = BookkeepingSql.GetOrAdd((record.Status, step.Direction, migration.Transactional, waitForFlush), BuildBookkeepingSql);
        var sql = taken.Sql.Length == 0 ? bookkeeping : taken.Sql + bookkeeping;
        taken.Parameters.AddRange(
        [
            ("RunId", step.Run.RunId),
            ("Project", step.Run.Project),
            ("Version", migration.Version.ToString()),
            ("Path", MigrationKey.PathName(migration.Path)),
            ("FromVersion", migration.From?.ToString()),
            ("Phase", MigrationKey.PhaseName(migration.Phase)),
            ("Order", migration.Order),
            ("Key", migration.Key),
            ("Name", migration.Name),
            ("Description", migration.Description),
            ("Checksum", migration.Checksum),
            ("Direction", direction),
            ("Status", status),
            ("Transactional", migration.Transactional),
            ("StartedAt", record.StartedAt),
            ("FinishedAt", record.StartedAt + record.Duration),
            ("DurationMs", record.Duration.TotalMilliseconds),
            ("Environment", step.Run.Environment),
            ("Host", step.Run.Host),
            ("RunnerVersion", step.Run.RunnerVersion),
            ("Error", record.Error),
            ("Backups", record.Backups is { Count: > 0 } backups ? backups.Select(static b => $"{b.Source} -> {b.Backup} ({b.Rows} rows)").ToArray() : null),
            ("VersionAfter", record.VersionAfter?.ToString()),
            ("Commands", record.Commands),
        ]);
        await DeferredChecks.RunAsync(connection, sql, transaction, taken, cancellationToken).ConfigureAwait(false);
    }

    // A handful of shapes, each the same text every time: built once, and Npgsql's automatic preparation recognizes it.
    private static readonly ConcurrentDictionary<(StepStatus Status, MigrationDirection Direction, bool Transactional, bool WaitForFlush), string> BookkeepingSql = new();

    private static string BuildBookkeepingSql((StepStatus Status, MigrationDirection Direction, bool Transactional, bool WaitForFlush) shape)
    {
        var stateChange = LedgerRules.AfterStep(shape.Status, shape.Direction, shape.Transactional) switch
        {
            LedgerMark.Applied => UpsertApplied("applied"),
            LedgerMark.Forget => "DELETE FROM stepwise.applied_migration WHERE project = @Project AND migration_key = @Key",
            LedgerMark.Failed => UpsertApplied("failed"),
            _ => null,
        };
        return
            $"""
            WITH history AS (
                INSERT INTO stepwise.migration_history (run_id, project, version, path, from_version, phase, "order", migration_key, name, description,
                    checksum, direction, status, transactional, started_at, finished_at, duration_ms, environment, host, runner_version, error, backups, commands)
                VALUES (@RunId, @Project, @Version, @Path, @FromVersion, @Phase, @Order, @Key, @Name, @Description,
                    @Checksum, @Direction, @Status, @Transactional, @StartedAt, @FinishedAt, @DurationMs, @Environment, @Host, @RunnerVersion, @Error, @Backups, @Commands)
                RETURNING id
            )
            {stateChange ?? "SELECT id FROM history"};
            {(LedgerRules.MovesVersion(shape.Status) ? MetadataUpsert : "SELECT 1")};
            {(shape.WaitForFlush ? "" : "SET LOCAL synchronous_commit = off;")}
            COMMIT;
            """;
    }

    private static string UpsertApplied(string status) =>
        $"""
        INSERT INTO stepwise.applied_migration (project, migration_key, version, name, checksum, status, transactional, sequence, applied_at)
        SELECT @Project, @Key, @Version, @Name, @Checksum, '{status}', @Transactional, history.id, @FinishedAt FROM history
        ON CONFLICT (project, migration_key) DO UPDATE SET
            version = EXCLUDED.version, name = EXCLUDED.name, checksum = EXCLUDED.checksum, status = EXCLUDED.status,
            transactional = EXCLUDED.transactional, sequence = EXCLUDED.sequence, applied_at = EXCLUDED.applied_at
        """;

    // The row exists from the first step of an install on (version still null), so an interrupted install is visible.
    private const string MetadataUpsert =
        """
        INSERT INTO stepwise.project_metadata AS m (project, current_version, last_run_id) VALUES (@Project, @VersionAfter, @RunId)
        ON CONFLICT (project) DO UPDATE SET
            current_version = COALESCE(EXCLUDED.current_version, m.current_version),
            updated_at = CASE WHEN EXCLUDED.current_version IS NULL THEN m.updated_at ELSE now() END,
            last_run_id = EXCLUDED.last_run_id
        """;
}
