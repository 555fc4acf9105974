using Microsoft.CodeAnalysis;

namespace Stepwise.Analyzers;

internal static partial class Descriptors
{
    public static readonly DiagnosticDescriptor SW2001CannotRunInTransaction = Rule(
        RuleIdentifiers.CannotRunInTransaction, RuleCategories.PostgreSql, DiagnosticSeverity.Error,
        "Statement cannot run inside a transaction",
        "{0} cannot run inside a transaction block; mark '{1}' [NonTransactional(\"why\")]",
        "PostgreSQL rejects CREATE/DROP INDEX CONCURRENTLY, REINDEX CONCURRENTLY, DETACH PARTITION CONCURRENTLY, VACUUM, CREATE/DROP DATABASE and similar statements inside a transaction block, and the runner wraps every migration in one unless it is [NonTransactional].");

    public static readonly DiagnosticDescriptor SW2002ExplicitTransactionControl = Rule(
        RuleIdentifiers.ExplicitTransactionControl, RuleCategories.PostgreSql, DiagnosticSeverity.Error,
        "Migration SQL must not control transactions",
        "{0} in migration SQL: the runner owns the transaction (PreCheck, Up, Validate and the history row commit together)",
        "A COMMIT or ROLLBACK inside a migration ends the runner's transaction early, so a failure can leave a half-applied migration recorded as applied, or applied but unrecorded.");

    public static readonly DiagnosticDescriptor SW2003CreateIndexWithoutConcurrently = Rule(
        RuleIdentifiers.CreateIndexWithoutConcurrently, RuleCategories.PostgreSql, DiagnosticSeverity.Warning,
        "Create indexes concurrently",
        "CREATE INDEX on '{0}' blocks writes to the table while the index builds; use CREATE INDEX CONCURRENTLY in a [NonTransactional] migration",
        "A plain CREATE INDEX holds a SHARE lock for the whole build, blocking inserts, updates and deletes. Tables created in the same migration, and new-install migrations, are exempt.");

    public static readonly DiagnosticDescriptor SW2004DropIndexWithoutConcurrently = Rule(
        RuleIdentifiers.DropIndexWithoutConcurrently, RuleCategories.PostgreSql, DiagnosticSeverity.Warning,
        "Drop indexes concurrently",
        "DROP INDEX takes an ACCESS EXCLUSIVE lock on the index's table; use DROP INDEX CONCURRENTLY in a [NonTransactional] migration",
        "A plain DROP INDEX blocks every read and write of the table until it gets and releases its lock, and queues behind long-running queries.");

    public static readonly DiagnosticDescriptor SW2005AddNotNullColumnWithoutDefault = Rule(
        RuleIdentifiers.AddNotNullColumnWithoutDefault, RuleCategories.PostgreSql, DiagnosticSeverity.Warning,
        "NOT NULL column added without a default",
        "Column '{0}' is added NOT NULL without a DEFAULT: it fails on a table with rows, and the running application does not write it",
        "Add the column nullable (or with a default), backfill it, then add a NOT VALID check constraint, validate it and set NOT NULL.");

    public static readonly DiagnosticDescriptor SW2006SetNotNull = Rule(
        RuleIdentifiers.SetNotNull, RuleCategories.PostgreSql, DiagnosticSeverity.Warning,
        "SET NOT NULL scans the table under an exclusive lock",
        "SET NOT NULL on '{0}' scans the whole table while holding an ACCESS EXCLUSIVE lock",
        "Add CHECK (column IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT in a later step, then SET NOT NULL: PostgreSQL 12+ uses the validated constraint and skips the scan.");

    public static readonly DiagnosticDescriptor SW2007AlterColumnType = Rule(
        RuleIdentifiers.AlterColumnType, RuleCategories.PostgreSql, DiagnosticSeverity.Warning,
        "Changing a column's type can rewrite the table",
        "Changing the type of '{0}' can rewrite the table and its indexes under an ACCESS EXCLUSIVE lock, and breaks readers of the old type",
        "Most type changes rewrite the table. Add a new column, backfill it, switch readers and writers, then drop the old one.");

    public static readonly DiagnosticDescriptor SW2008ConstraintWithoutNotValid = Rule(
        RuleIdentifiers.ConstraintWithoutNotValid, RuleCategories.PostgreSql, DiagnosticSeverity.Warning,
        "Add foreign key and check constraints NOT VALID",
        "Adding {0} validates every row while holding a lock that blocks writes; add it NOT VALID, then VALIDATE CONSTRAINT in a later migration",
        "NOT VALID makes the constraint apply to new rows at once; VALIDATE CONSTRAINT later checks old rows under a lock that lets writes through.");

    public static readonly DiagnosticDescriptor SW2009UniqueConstraintWithoutIndex = Rule(
        RuleIdentifiers.UniqueConstraintWithoutIndex, RuleCategories.PostgreSql, DiagnosticSeverity.Warning,
        "Add unique and primary key constraints USING INDEX",
        "Adding {0} builds its index while holding an ACCESS EXCLUSIVE lock; build a unique index CONCURRENTLY first, then ADD CONSTRAINT ... USING INDEX",
        "A unique or primary key constraint builds an index under the table's strongest lock; attaching an index built concurrently takes only a moment.");

    public static readonly DiagnosticDescriptor SW2010VolatileDefault = Rule(
        RuleIdentifiers.VolatileDefault, RuleCategories.PostgreSql, DiagnosticSeverity.Warning,
        "Volatile default rewrites the table",
        "Column '{0}' is added with a volatile default ({1}): PostgreSQL rewrites the whole table under an ACCESS EXCLUSIVE lock",
        "A constant or stable default is stored once; a volatile one (random(), gen_random_uuid(), clock_timestamp(), nextval/serial) is computed per row by rewriting the table. Add the column without it, set the default, and backfill in batches.");

    public static readonly DiagnosticDescriptor SW2011RenameTableOrColumn = Rule(
        RuleIdentifiers.RenameTableOrColumn, RuleCategories.PostgreSql, DiagnosticSeverity.Warning,
        "Renaming breaks the running application",
        "Renaming {0} breaks every running instance of the application that still uses the old name",
        "During a rolling deployment old and new application versions run side by side. Add the new name, copy and dual-write, move readers, then drop the old one.");

    public static readonly DiagnosticDescriptor SW2012DestructiveWithoutJustification = Rule(
        RuleIdentifiers.DestructiveWithoutJustification, RuleCategories.PostgreSql, DiagnosticSeverity.Warning,
        "Destructive statement in an upgrade",
        "{0} in upgrade migration '{1}' loses what no rollback brings back and the running application may still use; if that is intended, say why with [Destructive(\"why\")]",
        "Dropping or truncating in an upgrade loses data, code or guarantees that no rollback can bring back, and breaks application instances that still use them. Down is exempt: it reverts what Up created.");

    public static readonly DiagnosticDescriptor SW2013NotIdempotent = Rule(
        RuleIdentifiers.NotIdempotent, RuleCategories.PostgreSql, DiagnosticSeverity.Info,
        "Use IF NOT EXISTS",
        "{0} without IF NOT EXISTS fails when re-run after a partial failure",
        "A migration that failed halfway (above all a non-transactional one) is re-run; IF NOT EXISTS lets it pass over what was already created.");

    public static readonly DiagnosticDescriptor SW2014NonConstantSql = Rule(
        RuleIdentifiers.NonConstantSql, RuleCategories.PostgreSql, DiagnosticSeverity.Warning,
        "SQL built from non-constant values",
        "SQL is built from a non-constant value ({0}); pass values as parameters (new {{ name }} with @name) so they cannot change the statement",
        "Formatting values into SQL invites injection and hides the statement from the SQL safety rules. Constants (const strings, nameof) are fine.");

    public static readonly DiagnosticDescriptor SW2015NonTransactionalStatementNotAlone = Rule(
        RuleIdentifiers.NonTransactionalStatementNotAlone, RuleCategories.PostgreSql, DiagnosticSeverity.Error,
        "Statement that cannot run in a transaction must be alone in its command",
        "{0} shares its command with other statements; PostgreSQL runs a multi-statement command as one implicit transaction, so give it its own call",
        "Several statements sent in one command run in an implicit transaction block, which CONCURRENTLY, VACUUM and similar statements refuse even in a [NonTransactional] migration.");

    public static readonly DiagnosticDescriptor SW2016EveryRowWithoutWhere = Rule(
        RuleIdentifiers.EveryRowWithoutWhere, RuleCategories.PostgreSql, DiagnosticSeverity.Warning,
        "UPDATE or DELETE of every row",
        "{0} of every row of '{1}' without a WHERE locks them all until the step commits; batch it in a [NonTransactional] migration, or say which rows with WHERE",
        "One statement over a whole table holds a lock on every row for as long as the step's transaction lasts, blocking the application's writes, and grows the write-ahead log in one burst. A DELETE without WHERE also loses every row.");
}
