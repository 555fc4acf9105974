using Npgsql;
using Stepwise.Catalog;
using Stepwise.Execution;
using Stepwise.State;

namespace Stepwise.PostgreSql.Internal;

/// <summary>
/// The records around the steps themselves: a non-transactional step marked as started before it runs, the history's
/// own account of what is applied (to find a deleted record), and repairs.
/// </summary>
internal static class PostgresLedger
{
    /// <summary>
    /// Marks a non-transactional step as started (status <c>running</c> for <c>Up</c>, <c>reverting</c> for <c>Down</c>),
    /// committed before the step's first statement: a runner killed during the step leaves the mark, and the next run
    /// knows the step did not finish. A rollback step also records the version below as it starts, since its
    /// <c>Down</c> takes the database off the version above.
    /// </summary>
    public static async Task MarkStartedAsync(NpgsqlConnection connection, StepStart step, LedgerMark mark, CancellationToken cancellationToken)
    {
        var migration = step.Migration;
        if (mark == LedgerMark.Running)
        {
            // The sequence comes from the history's, so the mark sorts after everything applied so far: a rollback undoes it first.
            await connection.RunAsync(
                """
                INSERT INTO stepwise.applied_migration (project, migration_key, version, name, checksum, status, transactional, sequence, applied_at)
                VALUES (@Project, @Key, @Version, @Name, @Checksum, 'running', false, nextval(pg_get_serial_sequence('stepwise.migration_history', 'id')), now())
                ON CONFLICT (project, migration_key) DO UPDATE SET
                    version = EXCLUDED.version, name = EXCLUDED.name, checksum = EXCLUDED.checksum, status = 'running',
                    transactional = false, sequence = EXCLUDED.sequence, applied_at = EXCLUDED.applied_at
                """, null, cancellationToken, ("Project", step.Run.Project), ("Key", migration.Key), ("Version", migration.Version.ToString()),
                ("Name", migration.Name), ("Checksum", migration.Checksum)).ConfigureAwait(false);
            return;
        }

        await connection.RunAsync(
            """
            UPDATE stepwise.applied_migration SET status = 'reverting' WHERE project = @Project AND migration_key = @Key;
            UPDATE stepwise.project_metadata SET current_version = @VersionAfter, updated_at = now()
            WHERE project = @Project AND @VersionAfter::text IS NOT NULL;
            """, null, cancellationToken, ("Project", step.Run.Project), ("Key", migration.Key), ("VersionAfter", step.VersionAfter?.ToString()))
            .ConfigureAwait(false);
    }

    // Per migration, the newest history row that says whether it is applied: a successful up (yes), a successful down
    // (no), or a repair that recorded the answer. Repairs of runners before schema change 4 did not, and are passed over.
    private const string Ledger =
        """
        SELECT DISTINCT ON (migration_key) migration_key, version, name, checksum, id, finished_at, transactional,
               (direction = 'up' OR coalesce(leaves_applied, false)) AS applied
        FROM stepwise.migration_history
        WHERE project = @Project
          AND ((direction IN ('up', 'down') AND status = 'succeeded') OR (direction = 'repair' AND leaves_applied IS NOT NULL))
        ORDER BY migration_key, id DESC
        """;

    public static async Task<IReadOnlyList<AppliedMigration>> ReadUnrecordedAsync(NpgsqlConnection connection, string project, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(
            $"""
            SELECT l.migration_key, l.version, l.name, l.checksum, l.id, l.finished_at, l.transactional
            FROM ({Ledger}) l
            WHERE l.applied AND NOT EXISTS (SELECT 1 FROM stepwise.applied_migration a WHERE a.project = @Project AND a.migration_key = l.migration_key)
            ORDER BY l.id
            """, null, [("Project", project)]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var unrecorded = new List<AppliedMigration>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            unrecorded.Add(new AppliedMigration(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4),
                reader.GetFieldValue<DateTimeOffset>(5), reader.GetBoolean(6)));
        }

        return unrecorded;
    }

    public static async Task RepairAsync(NpgsqlConnection connection, RunRecord run, IReadOnlyList<RepairAction> actions, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var action in actions)
        {
            var leavesApplied = LedgerRules.AfterRepair(action.Kind).LeavesApplied;
            var (change, note) = action.Kind switch
            {
                RepairKind.AlignChecksum => (
                    "UPDATE stepwise.applied_migration SET checksum = @Checksum WHERE project = @Project AND migration_key = @Key AND status = 'applied'",
                    "repair: accepted the current code's checksum"),
                RepairKind.ClearFailure => (
                    "DELETE FROM stepwise.applied_migration WHERE project = @Project AND migration_key = @Key AND status <> 'applied'",
                    "repair: cleared a failed or interrupted non-transactional step"),
                RepairKind.MarkApplied => (
                    """
                    UPDATE stepwise.applied_migration SET status = 'applied', checksum = @Checksum, applied_at = now()
                    WHERE project = @Project AND migration_key = @Key AND status <> 'applied'
                    """,
                    "repair: recorded a non-transactional step as applied"),
                RepairKind.RestoreRecord => (
                    $"""
                    INSERT INTO stepwise.applied_migration (project, migration_key, version, name, checksum, status, transactional, sequence, applied_at)
                    SELECT @Project, l.migration_key, l.version, l.name, l.checksum, 'applied', l.transactional, l.id, l.finished_at
                    FROM ({Ledger}) l WHERE l.migration_key = @Key AND l.applied
                    ON CONFLICT (project, migration_key) DO NOTHING
                    """,
                    "repair: recorded again an applied migration whose record was deleted"),
                _ => (
                    "DELETE FROM stepwise.applied_migration WHERE project = @Project AND migration_key = @Key AND status = 'applied'",
                    "repair: forgot a migration that is no longer in the code"),
            };
            await connection.RunAsync(change, transaction, cancellationToken, ("Project", run.Project), ("Key", action.Key), ("Checksum", action.Checksum))
                .ConfigureAwait(false);
            await connection.RunAsync(
                """
                INSERT INTO stepwise.migration_history (run_id, project, version, migration_key, name, checksum, direction, status, transactional,
                    started_at, finished_at, duration_ms, environment, host, runner_version, error, leaves_applied)
                VALUES (@RunId, @Project, @Version, @Key, @Name, @Checksum, 'repair', 'repaired', true, now(), now(), 0, @Environment, @Host, @RunnerVersion,
                    @Note, @LeavesApplied)
                """,
                transaction, cancellationToken, ("RunId", run.RunId), ("Project", run.Project), ("Version", action.Version), ("Key", action.Key),
                ("Name", action.Name), ("Checksum", action.Checksum ?? ""), ("Environment", run.Environment), ("Host", run.Host),
                ("RunnerVersion", run.RunnerVersion), ("Note", action.Reason is null ? note : $"{note}: {action.Reason}"), ("LeavesApplied", leavesApplied))
                .ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}
