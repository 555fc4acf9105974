using System.Net;
using MongoDB.Bson;
using MongoDB.Driver;
using MongoDB.Driver.Core.Clusters;
using MongoDB.Driver.Core.Connections;
using MongoDB.Driver.Core.Servers;
using Stepwise.MongoDb.Internal;

namespace Stepwise.MongoDb.Tests;

public sealed class TransactionsTests
{
    [Fact]
    public void ErrorLabelledTransient_IsTransient_AlsoWhenAMigrationWrappedIt()
    {
        var conflict = new MongoException("WriteConflict");
        conflict.AddErrorLabel("TransientTransactionError");

        Assert.True(Transactions.IsTransient(conflict));
        Assert.True(Transactions.IsTransient(new InvalidOperationException("backfill failed", conflict)));
    }

    [Fact]
    public void OtherErrors_AreNotTransient()
    {
        var unknownCommit = new MongoException("commit outcome unknown");
        unknownCommit.AddErrorLabel("UnknownTransactionCommitResult");

        Assert.False(Transactions.IsTransient(unknownCommit)); // retried as a commit, never as a whole step
        Assert.False(Transactions.IsTransient(new MongoException("duplicate key")));
        Assert.False(Transactions.IsTransient(new MigrationCheckException("orders has rows")));
    }

    [Fact]
    public void TransactionThatOutlivedItsLifetimeLimit_IsNotRunAgain()
    {
        // The server reports a transaction it aborted after transactionLifetimeLimitSeconds as NoSuchTransaction, labelled transient.
        var expired = Command(251, "NoSuchTransaction");
        var conflict = Command(112, "WriteConflict");

        Assert.False(Transactions.IsTransient(expired));
        Assert.True(Transactions.IsTransient(conflict));
    }

    [Fact]
    public void StepTransactions_ReadLocal_SoThatTheyMayCreateCollectionsAndIndexes_AndWriteToAMajority()
    {
        Assert.Equal(ReadConcern.Local, Transactions.Options.ReadConcern);
        Assert.Equal(WriteConcern.WMajority, Transactions.Options.WriteConcern);
    }

    private static MongoCommandException Command(int code, string name)
    {
        var connection = new ConnectionId(new ServerId(new ClusterId(), new DnsEndPoint("localhost", 27017)));
        var error = new MongoCommandException(connection, name, new BsonDocument("commitTransaction", 1),
            new BsonDocument { { "ok", 0 }, { "code", code }, { "codeName", name } });
        error.AddErrorLabel("TransientTransactionError");
        return error;
    }
}
