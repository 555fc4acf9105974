using Microsoft.CodeAnalysis;

namespace Stepwise.Analyzers;

// SW2017-SW2037: what a statement does to an existing table and to the application running against it while the step
// runs: locks, rewrites, and guarantees taken away.
internal static partial class Descriptors
{
    public static readonly DiagnosticDescriptor SW2017ExclusionConstraintOnExistingTable = Rule(
        RuleIdentifiers.ExclusionConstraintOnExistingTable, RuleCategories.PostgreSql, DiagnosticSeverity.Warning,
        "Exclusion constraint added to an existing table",
        "Adding exclusion constraint{0} to '{1}' builds its index and checks every row under an ACCESS EXCLUSIVE lock; an exclusion constraint has no NOT VALID or USING INDEX form",
        "Every read and write of the table waits while the constraint's index is built and every row compared. Declare it when the table is created, or build a new table and move to it.");

    public static readonly DiagnosticDescriptor SW2018ColumnComputedForEveryRow = Rule(
        RuleIdentifiers.ColumnComputedForEveryRow, RuleCategories.PostgreSql, DiagnosticSeverity.Warning,
        "Column computed for every row rewrites the table",
        "Column '{0}' is added as {1}: PostgreSQL computes it for every existing row by rewriting the table under an ACCESS EXCLUSIVE lock",
        "A stored generated column or an identity column is filled in for every row when it is added, which rewrites the table and its indexes while every read and write waits. Add a plain column, fill it in batches, and keep it current with the application or a trigger.");

    public static readonly DiagnosticDescriptor SW2019ValidatedInSameTransaction = Rule(
        RuleIdentifiers.ValidatedInSameTransaction, RuleCategories.PostgreSql, DiagnosticSeverity.Warning,
        "NOT VALID constraint validated in the same transaction",
        "Constraint '{0}' is added NOT VALID and validated in the same transaction: the ADD's lock is held while every row is checked, which is what NOT VALID avoids; validate it in a later migration",
        "NOT VALID lets the constraint be added with a short lock, and VALIDATE CONSTRAINT checks old rows under a lock that lets writes through. In one transaction the first lock is kept until the commit, so the validation blocks writes after all.");

    public static readonly DiagnosticDescriptor SW2020DropNotNull = Rule(
        RuleIdentifiers.DropNotNull, RuleCategories.PostgreSql, DiagnosticSeverity.Warning,
        "DROP NOT NULL lets nulls reach readers that do not expect them",
        "Dropping NOT NULL from '{0}' lets writers store nulls that the running application's readers do not expect",
        "Code written against the column, including the version now running, assumes it is never null. Make readers handle null first, release them, then drop the constraint.");

    public static readonly DiagnosticDescriptor SW2021DropDefault = Rule(
        RuleIdentifiers.DropDefault, RuleCategories.PostgreSql, DiagnosticSeverity.Warning,
        "DROP DEFAULT breaks writers that rely on it",
        "Dropping the default of '{0}' makes the running application's inserts that omit the column store null, or fail when it is NOT NULL",
        "The version of the application now running may insert rows without naming the column and rely on its default. Make every writer set the column first, release it, then drop the default.");

    public static readonly DiagnosticDescriptor SW2022MissingLockTimeout = Rule(
        RuleIdentifiers.MissingLockTimeout, RuleCategories.PostgreSql, DiagnosticSeverity.Warning,
        "DDL on an existing table without a lock_timeout",
        "{0} on '{1}' waits for its lock without a lock_timeout, and every query of the table queues behind it; set policies.lock_timeout in project-config.yaml, or SET LOCAL lock_timeout before it",
        "A statement that needs a strong lock waits behind any long-running query of the table, and all later queries of the table wait behind it: one slow report becomes an outage. A lock_timeout makes the step fail fast instead; the runner's lock_timeout policy also runs the step again.");

    public static readonly DiagnosticDescriptor SW2023TriggersLeftDisabled = Rule(
        RuleIdentifiers.TriggersLeftDisabled, RuleCategories.PostgreSql, DiagnosticSeverity.Warning,
        "Triggers disabled and not enabled again",
        "Triggers {0} on '{1}' are disabled and not enabled again in the same Up: the application's writes skip them from now on",
        "A disabled trigger stays disabled for every session after the step commits: audit rows, derived columns and, with ALL, foreign keys are no longer maintained. Enable it again in the same Up.");

    public static readonly DiagnosticDescriptor SW2024ReplicaIdentityChanged = Rule(
        RuleIdentifiers.ReplicaIdentityChanged, RuleCategories.PostgreSql, DiagnosticSeverity.Warning,
        "Replica identity changed",
        "Changing the replica identity of '{0}' to {1} changes what logical replication and change-data-capture consumers receive",
        "With NOTHING, updates and deletes of a published table fail; with FULL, every update writes the whole old row to the write-ahead log; with another index, consumers see other key columns.");

    public static readonly DiagnosticDescriptor SW2025RowSecurityTurnedOff = Rule(
        RuleIdentifiers.RowSecurityTurnedOff, RuleCategories.PostgreSql, DiagnosticSeverity.Warning,
        "Row-level security turned off",
        "{0} on '{1}' lets every role that can read the table see every row its policies hid",
        "Row-level security is how a multi-tenant table keeps tenants apart. Turning it off, or no longer forcing it on the owner, exposes rows at once and for every session.");

    public static readonly DiagnosticDescriptor SW2026DomainConstraintChecksEveryColumn = Rule(
        RuleIdentifiers.DomainConstraintChecksEveryColumn, RuleCategories.PostgreSql, DiagnosticSeverity.Warning,
        "Domain constraint checks every column of the domain",
        "{0} on domain '{1}' checks every row of every table with a column of the domain, under locks that block their writes",
        "A constraint added to a domain is checked against all stored values of the domain, and so is a later VALIDATE CONSTRAINT: both hold locks that block writes to every table using it. Put CHECK constraints on the columns instead, which can be added NOT VALID and validated without blocking writes.");

    public static readonly DiagnosticDescriptor SW2027NewEnumValueUsedInSameTransaction = Rule(
        RuleIdentifiers.NewEnumValueUsedInSameTransaction, RuleCategories.PostgreSql, DiagnosticSeverity.Error,
        "New enum value used in the transaction that adds it",
        "Enum value '{0}' is added to '{1}' and used in the same transaction; PostgreSQL refuses it (unsafe use of new value): use it in a later migration",
        "A value added by ALTER TYPE ... ADD VALUE cannot be used until the transaction that added it commits. The step fails on every database, however it was tested.");

    public static readonly DiagnosticDescriptor SW2028BackfillInAlteringTransaction = Rule(
        RuleIdentifiers.BackfillInAlteringTransaction, RuleCategories.PostgreSql, DiagnosticSeverity.Warning,
        "Backfill in the transaction that alters the table",
        "{0} of '{1}' runs in the same transaction as an ALTER TABLE of it: the ALTER's lock lasts until the step commits, so the table stays blocked while the rows are written; backfill in a later, [NonTransactional] migration",
        "Most ALTER TABLE actions take the table's strongest lock and keep it to the end of the transaction, so every read and write of the table waits for the whole backfill.");

    public static readonly DiagnosticDescriptor SW2029TableRewrite = Rule(
        RuleIdentifiers.TableRewrite, RuleCategories.PostgreSql, DiagnosticSeverity.Warning,
        "Statement rewrites the table",
        "{0} rewrites '{1}' under an ACCESS EXCLUSIVE lock: every read and write of the table waits until it finishes",
        "VACUUM FULL, CLUSTER, SET TABLESPACE and SET LOGGED/UNLOGGED copy the whole table and its indexes while holding the strongest lock. Rebuild into a new table, or use an online repacking tool, outside the deployment.");

    public static readonly DiagnosticDescriptor SW2030ExplicitTableLock = Rule(
        RuleIdentifiers.ExplicitTableLock, RuleCategories.PostgreSql, DiagnosticSeverity.Warning,
        "Explicit table lock held for the whole step",
        "LOCK TABLE '{0}' in {1} mode blocks the application's {2} of the table until the step commits",
        "An explicit lock lasts until the end of the step's transaction, however long the rest of the step takes.");

    public static readonly DiagnosticDescriptor SW2031RefreshWithoutConcurrently = Rule(
        RuleIdentifiers.RefreshWithoutConcurrently, RuleCategories.PostgreSql, DiagnosticSeverity.Warning,
        "Refresh materialized views concurrently",
        "REFRESH MATERIALIZED VIEW '{0}' blocks every read of the view until the refresh commits; use REFRESH MATERIALIZED VIEW CONCURRENTLY",
        "A plain refresh holds an ACCESS EXCLUSIVE lock on the view. CONCURRENTLY (which needs a unique index on the view) lets reads go on.");

    public static readonly DiagnosticDescriptor SW2032ReindexWithoutConcurrently = Rule(
        RuleIdentifiers.ReindexWithoutConcurrently, RuleCategories.PostgreSql, DiagnosticSeverity.Warning,
        "Reindex concurrently",
        "REINDEX {0} '{1}' blocks writes to the table, and nearly every query of it, until it finishes; use REINDEX {0} CONCURRENTLY in a [NonTransactional] migration",
        "A plain REINDEX locks the table against writes and the rebuilt index against every query that plans with it, which is nearly every query of the table.");

    public static readonly DiagnosticDescriptor SW2033DetachPartitionWithoutConcurrently = Rule(
        RuleIdentifiers.DetachPartitionWithoutConcurrently, RuleCategories.PostgreSql, DiagnosticSeverity.Warning,
        "Detach partitions concurrently",
        "DETACH PARTITION '{0}' from '{1}' takes an ACCESS EXCLUSIVE lock on the whole partitioned table; use DETACH PARTITION ... CONCURRENTLY in a [NonTransactional] migration",
        "Every query of every partition waits while the plain form waits for and holds its lock. The CONCURRENTLY form (PostgreSQL 14+) takes a weaker lock.");

    public static readonly DiagnosticDescriptor SW2034SessionSettingOutlivesStep = Rule(
        RuleIdentifiers.SessionSettingOutlivesStep, RuleCategories.PostgreSql, DiagnosticSeverity.Warning,
        "Session setting outlives the step",
        "SET {0} lasts for the rest of the runner's connection, into later migrations and the runner's own bookkeeping; use SET LOCAL, or RESET {0} at the end of the same Up",
        "The runner runs a deployment's steps on one connection. A session-level setting (search_path, role, timeouts) changes how every later step and history write behaves.");

    public static readonly DiagnosticDescriptor SW2035SecurityDefinerWithoutSearchPath = Rule(
        RuleIdentifiers.SecurityDefinerWithoutSearchPath, RuleCategories.PostgreSql, DiagnosticSeverity.Warning,
        "SECURITY DEFINER function without a fixed search_path",
        "SECURITY DEFINER function '{0}' does not fix its search_path; a caller can make it run their own objects with its owner's rights: add SET search_path = ...",
        "A SECURITY DEFINER function runs with its owner's privileges but resolves unqualified names through the caller's search_path, so any role that can create objects in a schema on that path can take over the owner's rights.");

    public static readonly DiagnosticDescriptor SW2036UnnamedIndexOrConstraint = Rule(
        RuleIdentifiers.UnnamedIndexOrConstraint, RuleCategories.PostgreSql, DiagnosticSeverity.Warning,
        "Name indexes and constraints",
        "{0} on '{1}' has no name: a re-run adds a second one, and Down and later migrations must guess the name PostgreSQL chose",
        "PostgreSQL names an unnamed index or constraint after its columns and adds a number when the name is taken, so the name differs between databases with different histories, and running the statement again creates a duplicate instead of failing or being skipped.");

    public static readonly DiagnosticDescriptor SW2037InvalidIndexKeptByIfNotExists = Rule(
        RuleIdentifiers.InvalidIndexKeptByIfNotExists, RuleCategories.PostgreSql, DiagnosticSeverity.Warning,
        "IF NOT EXISTS keeps an invalid index from a failed concurrent build",
        "A failed CREATE INDEX CONCURRENTLY leaves index '{0}' behind, invalid; IF NOT EXISTS then skips it on the re-run: drop it first with DROP INDEX CONCURRENTLY IF EXISTS in its own call",
        "An interrupted or failed concurrent build leaves an index that every write must maintain but no query uses (a unique one may still reject rows). IF NOT EXISTS sees the name and builds nothing.");
}
