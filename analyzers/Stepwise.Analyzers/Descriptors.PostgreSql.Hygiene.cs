using Microsoft.CodeAnalysis;

namespace Stepwise.Analyzers;

// SW2038-SW2045: schema hygiene. Off by default; a team turns them on in .editorconfig
// (dotnet_diagnostic.SW2038.severity = suggestion). They judge new definitions, not the locks of a change.
internal static partial class Descriptors
{
    public static readonly DiagnosticDescriptor SW2038PreferBigintKey = OptInSuggestion(
        RuleIdentifiers.PreferBigintKey, RuleCategories.PostgreSql,
        "Use bigint for keys and generated numbers",
        "'{0}' is a {1} key or generated number; it runs out at {2}: use bigint",
        "Running out of a 32-bit (or 16-bit) key stops every insert, and widening the column later rewrites the table and every table that refers to it.");

    public static readonly DiagnosticDescriptor SW2039PreferIdentity = OptInSuggestion(
        RuleIdentifiers.PreferIdentity, RuleCategories.PostgreSql,
        "Use identity columns instead of serial",
        "'{0}' is {1}: use bigint GENERATED ALWAYS AS IDENTITY",
        "A serial column's sequence is a separate object with its own privileges and ownership, and writers can bypass it; an identity column is part of the table.");

    public static readonly DiagnosticDescriptor SW2040PreferText = OptInSuggestion(
        RuleIdentifiers.PreferText, RuleCategories.PostgreSql,
        "Use text with a check constraint instead of varchar(n)",
        "'{0}' is {1}: use text, with a CHECK on its length if the limit matters",
        "Lowering a varchar limit rewrites the table under an ACCESS EXCLUSIVE lock; a CHECK constraint can be replaced NOT VALID and validated without blocking writes.");

    public static readonly DiagnosticDescriptor SW2041PreferTimestamptz = OptInSuggestion(
        RuleIdentifiers.PreferTimestamptz, RuleCategories.PostgreSql,
        "Use timestamptz",
        "'{0}' is timestamp without time zone: use timestamptz",
        "A timestamp without time zone means whatever each writer's time zone was; timestamptz stores an instant and converts it for each reader.");

    public static readonly DiagnosticDescriptor SW2042AvoidCharN = OptInSuggestion(
        RuleIdentifiers.AvoidCharN, RuleCategories.PostgreSql,
        "Do not use char(n)",
        "'{0}' is {1}: use text (with a CHECK on its length if it matters)",
        "char(n) pads values with spaces, which comparisons, LIKE and the application see differently, and it is never faster than text.");

    public static readonly DiagnosticDescriptor SW2043PreferJsonb = OptInSuggestion(
        RuleIdentifiers.PreferJsonb, RuleCategories.PostgreSql,
        "Use jsonb instead of json",
        "'{0}' is json: use jsonb",
        "json has no equality operator, so SELECT DISTINCT, GROUP BY and UNION over the row fail; it is parsed again on every access and has no GIN index support.");

    public static readonly DiagnosticDescriptor SW2044TableWithoutPrimaryKey = OptInSuggestion(
        RuleIdentifiers.TableWithoutPrimaryKey, RuleCategories.PostgreSql,
        "Table without a primary key",
        "Table '{0}' has no primary key",
        "Without a primary key, logical replication cannot publish the table's updates and deletes, duplicate rows cannot be told apart, and tools that move or repack the table refuse it.");

    public static readonly DiagnosticDescriptor SW2045DomainWithConstraint = OptInSuggestion(
        RuleIdentifiers.DomainWithConstraint, RuleCategories.PostgreSql,
        "Domain with a constraint",
        "Domain '{0}' has a constraint: changing it later checks every column of the domain in every table",
        "A domain's constraint cannot be changed without checking all stored values of the domain, and PostgreSQL does not check it in every path (an outer join can yield null for a NOT NULL domain). A CHECK on each column can be replaced without blocking writes.");
}
