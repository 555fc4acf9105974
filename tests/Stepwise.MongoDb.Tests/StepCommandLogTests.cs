using System.Net;
using MongoDB.Bson;
using MongoDB.Driver;
using MongoDB.Driver.Core.Clusters;
using MongoDB.Driver.Core.Connections;
using MongoDB.Driver.Core.Events;
using MongoDB.Driver.Core.Servers;
using Stepwise.Execution;
using Stepwise.MongoDb.Internal;

namespace Stepwise.MongoDb.Tests;

/// <summary>What a MongoDB step's history keeps of the commands the driver reports: the step's own changes, without data.</summary>
public sealed class StepCommandLogTests
{
    private static readonly ConnectionId Connection = new(new ServerId(new ClusterId(), new DnsEndPoint("db", 27017)));

    [Fact]
    public void ChangesSentWithTheStepsSession_AreKept_WithoutTheirDocuments()
    {
        var log = new StepCommandLog();
        var sent = new SentCommands();
        var session = SessionId();
        using var watch = log.Watch(session, sent);

        log.OnStarted(Started("insert", new BsonDocument { { "insert", "orders" }, { "documents", new BsonArray { Doc("secret-a"), Doc("secret-b") } } }, session));
        log.OnStarted(Started("createIndexes", new BsonDocument
        {
            { "createIndexes", "orders" },
            { "indexes", new BsonArray { new BsonDocument { { "key", new BsonDocument("sku", 1) }, { "name", "sku_1" } } } },
        }, session));
        log.OnStarted(Started("find", new BsonDocument { { "find", "orders" }, { "filter", Doc("secret-c") } }, session));
        log.OnStarted(Started("update", new BsonDocument { { "update", "stepwise.migration_history" }, { "updates", new BsonArray { Doc("x") } } }, session));

        Assert.Equal("""
            insert orders: 2 documents
            { "createIndexes" : "orders", "indexes" : [{ "key" : { "sku" : 1 }, "name" : "sku_1" }] }
            """.ReplaceLineEndings("\n"), sent.Text);
    }

    [Fact]
    public void CommandsOfAnotherSession_OrAfterTheStep_AreNotKept()
    {
        var log = new StepCommandLog();
        var sent = new SentCommands();
        var session = SessionId();
        var watch = log.Watch(session, sent);

        log.OnStarted(Started("drop", new BsonDocument("drop", "orders"), SessionId()));
        log.OnStarted(Started("drop", new BsonDocument("drop", "orders"), lsid: null));
        watch.Dispose();
        log.OnStarted(Started("drop", new BsonDocument("drop", "orders"), session));

        Assert.Null(sent.Text);
    }

    [Theory]
    [InlineData("{ update: 'orders', updates: [{ q: {}, u: { $set: { a: 'secret' } } }], ordered: true }", "update orders: 1 statement")]
    [InlineData("{ delete: 'orders', deletes: [{ q: {}, limit: 0 }, { q: {}, limit: 1 }] }", "delete orders: 2 statements")]
    [InlineData("{ findAndModify: 'orders', query: { sku: 'secret' }, update: { $set: { a: 1 } } }", "findAndModify orders")]
    [InlineData("{ aggregate: 'orders', pipeline: [{ $match: {} }, { $out: 'orders_copy' }], $db: 'shop' }", "{ \"aggregate\" : \"orders\", \"pipeline\" : [{ \"$match\" : { } }, { \"$out\" : \"orders_copy\" }] }")]
    [InlineData("{ aggregate: 'orders', pipeline: [{ $match: {} }] }", null)]
    [InlineData("{ collMod: 'orders', validator: { $jsonSchema: { required: ['sku'] } }, txnNumber: 3 }", "{ \"collMod\" : \"orders\", \"validator\" : { \"$jsonSchema\" : { \"required\" : [\"sku\"] } } }")]
    [InlineData("{ createUser: 'app', pwd: 'secret' }", null)]
    public void EachKindOfCommand_IsKeptAsItsHistoryShowsIt(string command, string? kept)
    {
        var document = BsonDocument.Parse(command);

        Assert.Equal(kept, StepCommandLog.Describe(document.GetElement(0).Name, document));
    }

    private static BsonDocument SessionId() => new("id", new BsonBinaryData(Guid.NewGuid(), GuidRepresentation.Standard));

    private static BsonDocument Doc(string value) => new("value", value);

    private static CommandStartedEvent Started(string name, BsonDocument command, BsonDocument? lsid)
    {
        if (lsid is not null)
        {
            command.Add("lsid", lsid);
        }

        command.Add("$db", "shop");
        return new CommandStartedEvent(name, command, new DatabaseNamespace("shop"), operationId: null, requestId: 1, Connection);
    }
}
