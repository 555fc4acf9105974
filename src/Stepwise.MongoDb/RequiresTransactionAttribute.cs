namespace Stepwise.MongoDb;

/// <summary>
/// The migration must run in a transaction: on a server without transactions (a standalone <c>mongod</c>) it is refused
/// before any step runs, instead of being run with its <c>Down</c> as the undo should it fail. For a migration whose
/// <c>Down</c> cannot undo a half-done <c>Up</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class RequiresTransactionAttribute : Attribute
{
}
