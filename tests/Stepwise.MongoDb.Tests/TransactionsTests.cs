using MongoDB.Driver;
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
}
