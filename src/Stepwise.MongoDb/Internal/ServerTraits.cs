using MongoDB.Bson;
using Stepwise.Catalog;

namespace Stepwise.MongoDb.Internal;

/// <summary>How the server is deployed, which decides whether it has transactions.</summary>
internal enum Topology
{
    /// <summary>One <c>mongod</c> that is not a replica set member: no transactions.</summary>
    Standalone,

    /// <summary>A replica set member (a single-node replica set included).</summary>
    ReplicaSet,

    /// <summary>A <c>mongos</c> router in front of shards.</summary>
    Sharded,
}

/// <summary>What the runner needs to know about the server, from <c>hello</c> and <c>buildInfo</c>.</summary>
internal sealed record ServerTraits(Topology Topology, Version Version)
{
    /// <summary>
    /// The oldest server the engine runs against: update pipelines with <c>$$NOW</c> (the lock's lease, judged by the
    /// server's clock) need 4.2, and creating collections and indexes inside a transaction needs 4.4.
    /// </summary>
    public static readonly Version Oldest = new(4, 4);

    /// <summary>Whether steps can run in transactions: replica sets and sharded clusters have them, a standalone server has not.</summary>
    public bool HasTransactions => Topology != Topology.Standalone;

    public string Describe() => $"MongoDB {Version} ({Topology switch { Topology.ReplicaSet => "replica set", Topology.Sharded => "sharded cluster", _ => "standalone" }})";

    /// <summary>Reads the topology from a <c>hello</c> reply and the version from <c>buildInfo</c>'s.</summary>
    public static ServerTraits From(BsonDocument hello, BsonDocument buildInfo)
    {
        var topology = hello.GetValue("msg", BsonNull.Value) == "isdbgrid" ? Topology.Sharded
            : hello.Contains("setName") ? Topology.ReplicaSet
            : Topology.Standalone;
        var text = buildInfo.GetValue("version", "0.0").AsString;
        var numeric = new string(text.TakeWhile(static c => char.IsDigit(c) || c == '.').ToArray());
        return new ServerTraits(topology, Version.TryParse(numeric, out var version) ? version : new Version(0, 0));
    }

    /// <summary>
    /// Why a step cannot run on this server as written, or <c>null</c> when it can. On a server without transactions a
    /// migration written for one runs without, its <c>Down</c> undoing it should it fail, unless it requires a
    /// transaction (<see cref="RequiresTransactionAttribute"/>).
    /// </summary>
    public string? Refusal(MigrationDescriptor migration, bool requiresTransaction, string target) =>
        migration.Transactional && requiresTransaction && !HasTransactions
            ? $"{migration.Name} requires a transaction ([RequiresTransaction]), but {target} is a standalone server, which has none. Run MongoDB as " +
              "a replica set (one node will do: start mongod with --replSet rs0 and run rs.initiate() once)"
            : null;

    /// <summary>Whether a step of <paramref name="migration"/> runs in a transaction here.</summary>
    public bool RunsInTransaction(MigrationDescriptor migration) => migration.Transactional && HasTransactions;
}
