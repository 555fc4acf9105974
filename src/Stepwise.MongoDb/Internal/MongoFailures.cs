using MongoDB.Driver;

namespace Stepwise.MongoDb.Internal;

/// <summary>Failures that are the database's, not the migration's, as messages that say what to check.</summary>
internal static class MongoFailures
{
    private const int Unauthorized = 13;

    public static StepwiseException? Explain(Exception exception, string target, string? user) => exception switch
    {
        MongoAuthenticationException => new StepwiseException(FailureKind.Connection,
            $"{target} refused the credentials of user '{EchoedInput.Show(user ?? "(none)")}'. Check DB_USER and DB_PASSWORD (or the URL's user, password " +
            $"and authSource; users given by DB_USER are looked up in '{MongoSettings.DefaultAuthSource}').", exception),
        MongoCommandException { Code: Unauthorized } command => new StepwiseException(FailureKind.Permission,
            $"User '{EchoedInput.Show(user ?? "(none)")}' may not run {EchoedInput.Show(command.Command?.GetElement(0).Name ?? "that command")} on {target}. " +
            "Grant it readWrite on the database (and dbAdmin for collections, indexes and validators).", exception),
        TimeoutException or MongoConnectionException => new StepwiseException(FailureKind.Connection,
            $"No answer from {target} ({Words(exception)}). Check that the server is up and reachable from here (host, port, network policy, TLS), " +
            "and that a replica set's members are reachable by the names it gives.", exception),
        _ => null,
    };

    private static string Words(Exception exception) => exception is TimeoutException ? "no server could be selected in time" : "the connection failed or was lost";
}
