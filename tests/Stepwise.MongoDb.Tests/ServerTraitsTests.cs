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

    // The decision table: a step in a transaction needs a server that has them; a non-transactional step runs anywhere.
    [Theory]
    [InlineData("Standalone", true, true)]
    [InlineData("Standalone", false, false)]
    [InlineData("ReplicaSet", true, false)]
    [InlineData("ReplicaSet", false, false)]
    [InlineData("Sharded", true, false)]
    [InlineData("Sharded", false, false)]
    public void Refusal_FollowsTheDecisionTable(string topology, bool transactional, bool refused)
    {
        var server = new ServerTraits(Enum.Parse<Topology>(topology), new Version(7, 0));
        var refusal = server.Refusal(Migration(transactional), "MongoDB at db:27017, database 'shop'");

        Assert.Equal(refused, refusal is not null);
        if (refused)
        {
            Assert.Contains("AddOrders runs in a transaction", refusal, StringComparison.Ordinal);
            Assert.Contains("--replSet", refusal, StringComparison.Ordinal);
            Assert.Contains("[NonTransactional", refusal, StringComparison.Ordinal);
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
