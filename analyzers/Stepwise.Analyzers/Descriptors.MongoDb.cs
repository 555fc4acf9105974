using Microsoft.CodeAnalysis;

namespace Stepwise.Analyzers;

internal static partial class Descriptors
{
    public static readonly DiagnosticDescriptor SW3001MongoDropWithoutJustification = Rule(
        RuleIdentifiers.MongoDropWithoutJustification, RuleCategories.MongoDb, DiagnosticSeverity.Warning,
        "Dropping a collection or database in an upgrade",
        "{0} in an upgrade destroys data the running application may still read; justify it with [Destructive(\"why\")] on '{1}'",
        "A dropped collection or database cannot be brought back by Down. Stop the application using it first, copy what must be kept, and say so in [Destructive].");

    public static readonly DiagnosticDescriptor SW3002MongoFieldRemovalWithoutJustification = Rule(
        RuleIdentifiers.MongoFieldRemovalWithoutJustification, RuleCategories.MongoDb, DiagnosticSeverity.Warning,
        "Removing or renaming a field in an upgrade",
        "{0} in an upgrade removes a field the running application may still read or write; justify it with [Destructive(\"why\")] on '{1}'",
        "$unset loses the field's values and $rename breaks every reader and writer of the old name until the new code is deployed. Add the new field, backfill it, switch the code, then remove the old one.");

    public static readonly DiagnosticDescriptor SW3003MongoIndexWithoutName = Rule(
        RuleIdentifiers.MongoIndexWithoutName, RuleCategories.MongoDb, DiagnosticSeverity.Warning,
        "Index without a name",
        "The index is created without a name: give CreateIndexOptions.Name, so that Down, Validate and PreCheck can name it",
        "MongoDB names an unnamed index after its keys, so a change of keys (or of their order) changes the name: a rollback or a check that names it then misses it.");

    public static readonly DiagnosticDescriptor SW3004MongoNonConstantCommand = Rule(
        RuleIdentifiers.MongoNonConstantCommand, RuleCategories.MongoDb, DiagnosticSeverity.Warning,
        "Command built from a non-constant string",
        "'{0}' is not a constant: a command parsed from it can change with input the migration does not control, and its checksum does not cover it",
        "Build commands as BsonDocument values (or from constant JSON); pass variable parts as values, never as text to parse.");

    public static readonly DiagnosticDescriptor SW3005MongoCallBypassesSession = Rule(
        RuleIdentifiers.MongoCallBypassesSession, RuleCategories.MongoDb, DiagnosticSeverity.Error,
        "Database access bypasses the step's session",
        "'{0}' runs outside the step's transaction; pass db.Session as its first argument, or use the MongoContext helper",
        "A driver call without the session runs in a session of its own: inside a transactional step it is committed at once, survives a failing Validate, and never sees the step's uncommitted changes.");

    public static readonly DiagnosticDescriptor SW3006MongoSwallowedException = Rule(
        RuleIdentifiers.MongoSwallowedException, RuleCategories.MongoDb, DiagnosticSeverity.Warning,
        "Exception swallowed inside a transactional step",
        "This catch does not rethrow: after a server error MongoDB has aborted the step's transaction, and what follows runs outside it or fails",
        "Let the exception reach the runner, which rolls the step back and reports it; catch only to add context, then throw.");
}
