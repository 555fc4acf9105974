namespace Stepwise.PostgreSql.Internal;

/// <summary>
/// The runner's own tables, in schema <c>stepwise</c>, evolved by numbered changes like any migration: a runner
/// applies the changes it knows above <c>stepwise.schema_version</c>, and refuses a database a newer runner evolved.
/// </summary>
internal static class StepwiseSchema
{
    public const string Name = "stepwise";

    // Serializes schema creation between runners of different projects sharing a database.
    public const long SetupLockKey = 0x5374_6570_7769_7365; // "Stepwise"

    public static readonly IReadOnlyList<string> Changes =
    [
        """
        CREATE TABLE stepwise.project_metadata (
            project          text PRIMARY KEY,
            current_version  text,
            installed_at     timestamptz NOT NULL DEFAULT now(),
            updated_at       timestamptz NOT NULL DEFAULT now(),
            last_run_id      uuid
        );

        CREATE TABLE stepwise.applied_migration (
            project          text NOT NULL,
            migration_key    text NOT NULL,
            version          text NOT NULL,
            name             text NOT NULL,
            checksum         text NOT NULL,
            status           text NOT NULL CHECK (status IN ('applied', 'failed')),
            transactional    boolean NOT NULL,
            sequence         bigint NOT NULL,
            applied_at       timestamptz NOT NULL,
            PRIMARY KEY (project, migration_key)
        );

        CREATE TABLE stepwise.migration_history (
            id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            run_id           uuid NOT NULL,
            project          text NOT NULL,
            version          text NOT NULL,
            path             text,
            from_version     text,
            phase            text,
            "order"          integer,
            migration_key    text NOT NULL,
            name             text NOT NULL,
            description      text,
            checksum         text NOT NULL,
            direction        text NOT NULL CHECK (direction IN ('up', 'down', 'repair')),
            status           text NOT NULL CHECK (status IN ('succeeded', 'failed', 'repaired')),
            transactional    boolean NOT NULL,
            started_at       timestamptz NOT NULL,
            finished_at      timestamptz NOT NULL,
            duration_ms      double precision NOT NULL,
            environment      text,
            host             text NOT NULL,
            database_user    text NOT NULL DEFAULT current_user,
            runner_version   text NOT NULL,
            error            text
        );

        CREATE INDEX migration_history_project_id_idx ON stepwise.migration_history (project, id DESC);

        CREATE TABLE stepwise.audit_log (
            id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            run_id           uuid NOT NULL,
            project          text NOT NULL,
            operation        text NOT NULL,
            from_version     text,
            target_version   text,
            environment      text,
            host             text NOT NULL,
            database_user    text NOT NULL DEFAULT current_user,
            runner_version   text NOT NULL,
            started_at       timestamptz NOT NULL DEFAULT now(),
            finished_at      timestamptz,
            outcome          text NOT NULL DEFAULT 'running' CHECK (outcome IN ('running', 'succeeded', 'failed')),
            message          text
        );

        CREATE INDEX audit_log_project_id_idx ON stepwise.audit_log (project, id DESC);
        """,
        """
        ALTER TABLE stepwise.migration_history ADD COLUMN backups text[];

        CREATE TABLE stepwise.backup (
            project          text NOT NULL,
            version          text NOT NULL,
            source           text NOT NULL,
            declared         text NOT NULL,
            backup_schema    text NOT NULL,
            backup_table     text NOT NULL,
            row_count        bigint NOT NULL,
            migration_key    text NOT NULL,
            run_id           uuid NOT NULL,
            created_at       timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (project, version, source)
        );
        """,
        """
        CREATE FUNCTION stepwise.require(ok boolean, expectation text) RETURNS boolean LANGUAGE plpgsql AS $$
        BEGIN
            IF ok IS NOT TRUE THEN
                RAISE EXCEPTION USING ERRCODE = 'SWCHK', MESSAGE = expectation;
            END IF;
            RETURN true;
        END
        $$;
        """,
        """
        ALTER TABLE stepwise.applied_migration DROP CONSTRAINT applied_migration_status_check,
            ADD CONSTRAINT applied_migration_status_check CHECK (status IN ('applied', 'failed', 'running', 'reverting'));

        ALTER TABLE stepwise.audit_log DROP CONSTRAINT audit_log_outcome_check,
            ADD CONSTRAINT audit_log_outcome_check CHECK (outcome IN ('running', 'succeeded', 'failed', 'interrupted'));

        ALTER TABLE stepwise.migration_history DROP CONSTRAINT migration_history_status_check,
            ADD CONSTRAINT migration_history_status_check CHECK (status IN ('succeeded', 'failed', 'repaired', 'interrupted')),
            ADD COLUMN leaves_applied boolean;
        """,
        """
        ALTER TABLE stepwise.audit_log
            ADD COLUMN actor text,
            ADD COLUMN os_user text,
            ADD COLUMN service_account text,
            ADD COLUMN git_commit text,
            ADD COLUMN image text;

        ALTER TABLE stepwise.migration_history ADD COLUMN commands text;

        CREATE INDEX migration_history_run_id_idx ON stepwise.migration_history (run_id);
        """,
    ];
}
