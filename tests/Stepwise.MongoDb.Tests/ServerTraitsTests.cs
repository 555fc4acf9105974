using MongoDB.Bson;
using Stepwise.Catalog;
using Stepwise.MongoDb.Internal;
using Stepwise.Versioning;

namespace Stepwise.MongoDb.Tests;

public sealed class ServerTraitsTests
{
    private static BsonDocument Build(string version) => new("version", version);

    [Fact]
    public void Hello_OfAStandaloneServer_HasNoTransactions()
    {
        var server = ServerTraits.From(new BsonDocument { { "isWritablePrimary", true }, { "maxWireVersion", 21 } }, Build("7.0.12"));

        Assert.Equal(Topology.Standalone, server.Topology);
        Assert.False(server.HasTransactions);
        Assert.Equal(new Version(7, 0, 12), server.Version);
    }

    [Fact]
    public void Hello_OfAReplicaSetMember_HasTransactions()
    {
        var server = ServerTraits.From(new BsonDocument { { "isWritablePrimary", true }, { "setName", "rs0" } }, Build("6.0.3"));

        Assert.Equal(Topology.ReplicaSet, server.Topology);
        Assert.True(server.HasTransactions);
    }

    [Fact]
    public void Hello_OfAMongosRouter_IsAShardedCluster()
    {
        var server = ServerTraits.From(new BsonDocument { { "isWritablePrimary", true }, { "msg", "isdbgrid" } }, Build("8.0.0-rc1"));

        Assert.Equal(Topology.Sharded, server.Topology);
        Assert.True(server.HasTransactions);
        Assert.Equal(new Version(8, 0, 0), server.Version);
    }

    // The decision table: a server without transactions runs a migration written for one without, undone by its Down
    // should it fail, unless the migration requires a transaction; a non-transactional migration runs anywhere.
    [Theory]
    [InlineData("Standalone", true, false, false, false)]
    [InlineData("Standalone", true, true, true, false)]
    [InlineData("Standalone", false, true, false, false)]
    [InlineData("ReplicaSet", true, true, false, true)]
    [InlineData("ReplicaSet", false, false, false, false)]
    [InlineData("Sharded", true, true, false, true)]
    [InlineData("Sharded", false, false, false, false)]
    public void Refusal_FollowsTheDecisionTable(string topology, bool transactional, bool requiresTransaction, bool refused, bool inTransaction)
    {
        var server = new ServerTraits(Enum.Parse<Topology>(topology), new Version(7, 0));
        var migration = Migration(transactional);
        var refusal = server.Refusal(migration, requiresTransaction, "MongoDB at db:27017, database 'shop'");

        Assert.Equal(refused, refusal is not null);
        Assert.Equal(inTransaction, server.RunsInTransaction(migration));
        if (refused)
        {
            Assert.Contains("AddOrders requires a transaction ([RequiresTransaction])", refusal, StringComparison.Ordinal);
            Assert.Contains("--replSet", refusal, StringComparison.Ordinal);
        }
    }

    internal static MigrationDescriptor Migration(bool transactional = true, string name = "AddOrders") => new()
    {
        Project = "shop",
        Version = ProjectVersion.Parse("1.1.0"),
        Phase = MigrationPhase.SchemaChanges,
        Order = 1,
        Name = name,
        Checksum = "abc",
        Transactional = transactional,
    };
}
