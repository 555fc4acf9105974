using Microsoft.CodeAnalysis;

namespace Stepwise.Analyzers;

internal static partial class Descriptors
{
    public static readonly DiagnosticDescriptor SW1001MissingDown = Rule(
        RuleIdentifiers.MissingDown, RuleCategories.Contract, DiagnosticSeverity.Error,
        "Migration must implement Down",
        "Migration '{0}' has no real Down: {1}; implement the rollback, or declare [Irreversible(\"why\")] where the project's policy allows it",
        "Every migration reverts what Up did, so a release can be rolled back. An empty Down, one that only returns a completed task or one that only throws counts as missing.");

    public static readonly DiagnosticDescriptor SW1002MissingValidate = Rule(
        RuleIdentifiers.MissingValidate, RuleCategories.Contract, DiagnosticSeverity.Error,
        "Migration must implement Validate",
        "Migration '{0}' has no real Validate: {1}; prove that Up worked (e.g. Require(await db.TableExistsAsync(...), \"...\"))",
        "Validate runs after Up in the same step and fails the step when Up did not do what it promised. An empty body, one that only returns a completed task or one that only throws counts as missing.");

    public static readonly DiagnosticDescriptor SW1003MissingPreCheck = Rule(
        RuleIdentifiers.MissingPreCheck, RuleCategories.Contract, DiagnosticSeverity.Error,
        "Migration must implement PreCheck",
        "Migration '{0}' has no real PreCheck: {1}; check the state the migration starts from (it also proves a rollback restored it)",
        "PreCheck runs before Up, and again after Down on rollback, so it is both the guard and the proof of the rollback. An empty body, one that only returns a completed task or one that only throws counts as missing.");

    public static readonly DiagnosticDescriptor SW1004IrreversibleNotAllowed = Rule(
        RuleIdentifiers.IrreversibleNotAllowed, RuleCategories.Contract, DiagnosticSeverity.Error,
        "Project policy requires a rollback",
        "Migration '{0}' is marked [Irreversible] but project-config.yaml sets require_rollback: true; implement Down instead",
        "When the project's policy (spec.migration.policies.require_rollback in project-config.yaml) requires rollbacks, [Irreversible] is not an accepted escape.");

    public static readonly DiagnosticDescriptor SW1005EscapeHatchWithoutReason = Rule(
        RuleIdentifiers.EscapeHatchWithoutReason, RuleCategories.Contract, DiagnosticSeverity.Error,
        "Escape-hatch attribute needs a reason",
        "[{0}] on '{1}' needs a non-empty reason: it is shown in plans and recorded in the audit trail",
        "[Irreversible], [NonTransactional] and [Destructive] lift a safety guarantee; the reason is what a reviewer and an operator read.");

    public static readonly DiagnosticDescriptor SW1006MissingMigrationAttribute = Rule(
        RuleIdentifiers.MissingMigrationAttribute, RuleCategories.Contract, DiagnosticSeverity.Error,
        "Migration class needs [Migration]",
        "Migration '{0}' has no [Migration(version, order)] attribute, so the runner cannot place it",
        "The runner discovers migrations and orders them by their [Migration] attribute; a migration class without one is never run.");

    public static readonly DiagnosticDescriptor SW1007MigrationAttributeOnUnusableType = Rule(
        RuleIdentifiers.MigrationAttributeOnUnusableType, RuleCategories.Contract, DiagnosticSeverity.Error,
        "[Migration] on a type the runner cannot run",
        "'{0}' carries [Migration] but {1}",
        "A migration is a non-abstract, non-generic class deriving from Migration<TContext> (e.g. PostgresMigration), visible to its whole assembly.");

    public static readonly DiagnosticDescriptor SW1008InvalidMigrationVersion = Rule(
        RuleIdentifiers.InvalidMigrationVersion, RuleCategories.Contract, DiagnosticSeverity.Error,
        "Migration version must be a semantic version",
        "'{0}' is not a semantic version (expected MAJOR.MINOR.PATCH, e.g. 1.4.0 or v1.4.0)",
        "The version orders migrations and is compared with the release version, so it must be a semantic version.");

    public static readonly DiagnosticDescriptor SW1015VersionNotInCompatibilityMatrix = Rule(
        RuleIdentifiers.VersionNotInCompatibilityMatrix, RuleCategories.Contract, DiagnosticSeverity.Error,
        "Migration version has no entry in the compatibility matrix",
        "Version {0} has no entry in project-config.yaml's spec.compatibility_matrix: add 'v{0}: {{ upgrades_to: [], rollback_to: [{1}] }}'{2}",
        "The runner moves between versions along the compatibility matrix only: a version it has no entry for can be neither reached nor left.");

    public static readonly DiagnosticDescriptor SW1009InvalidMigrationOrder = Rule(
        RuleIdentifiers.InvalidMigrationOrder, RuleCategories.Contract, DiagnosticSeverity.Error,
        "Migration order must be positive",
        "Order {0} is not positive: orders start at 1 within a version's phase",
        "The order decides the position of a migration within its version and phase, starting at 1.");

    public static readonly DiagnosticDescriptor SW1010InvalidFromVersion = Rule(
        RuleIdentifiers.InvalidFromVersion, RuleCategories.Contract, DiagnosticSeverity.Error,
        "Invalid From version",
        "From = \"{0}\" {1}",
        "From restricts an upgrade migration to upgrades from one version; it must be a semantic version, and only upgrade migrations have it.");

    public static readonly DiagnosticDescriptor SW1011PhaseNotInPath = Rule(
        RuleIdentifiers.PhaseNotInPath, RuleCategories.Contract, DiagnosticSeverity.Error,
        "Phase does not belong to the migration's path",
        "Phase {0} does not belong to the {1} path (use {2})",
        "New-install migrations run in the Schema, Data and Indexes phases; upgrade migrations in PreUpgrade, SchemaChanges, DataMigration and PostUpgrade.");

    public static readonly DiagnosticDescriptor SW1012DuplicateMigrationIdentity = Rule(
        RuleIdentifiers.DuplicateMigrationIdentity, RuleCategories.Contract, DiagnosticSeverity.Error,
        "Duplicate migration identity",
        "'{0}' has the same version, path, from-version, phase and order as '{1}' ({2})",
        "(version, path, from-version, phase, order) identifies a migration in the database's history, so it must be unique within the project.",
        WellKnownDiagnosticTags.CompilationEnd);

    public static readonly DiagnosticDescriptor SW1013MissingMigrationProject = Rule(
        RuleIdentifiers.MissingMigrationProject, RuleCategories.Contract, DiagnosticSeverity.Error,
        "Assembly with migrations needs [assembly: MigrationProject]",
        "The assembly contains migrations (e.g. '{0}') but no [assembly: MigrationProject(\"name\")]; the runner only scans assemblies that carry it",
        "The project name keys the database's version, history and lock; the runner only scans assemblies that declare it.",
        WellKnownDiagnosticTags.CompilationEnd);

    public static readonly DiagnosticDescriptor SW1014InvalidProjectName = Rule(
        RuleIdentifiers.InvalidProjectName, RuleCategories.Contract, DiagnosticSeverity.Error,
        "Invalid migration project name",
        "'{0}' is not a valid project name: use lower-case letters and digits in words separated by '-', '_' or '.', e.g. e-commerce-api",
        "The project name keys the database's version, history and lock, and appears in Kubernetes resource names, so it is restricted to lower-case words.",
        WellKnownDiagnosticTags.CompilationEnd);
}
