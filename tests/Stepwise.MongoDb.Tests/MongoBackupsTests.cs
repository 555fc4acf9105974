using System.Text;
using Stepwise.Execution;
using Stepwise.MongoDb.Internal;

namespace Stepwise.MongoDb.Tests;

// Where policy backup_before_upgrade keeps its copies on MongoDB, and how they are recorded. Taking and dropping them
// against a server is the specification suite's (BackupBeforeUpgrade_…).
public sealed class MongoBackupsTests
{
    [Fact]
    public void Name_SaysProjectVersionAndCollection()
    {
        Assert.Equal("stepwise_backup.e-commerce-api@1.2.0-rc.1@orders", MongoBackups.CollectionName("shop", "e-commerce-api", "1.2.0-rc.1", "orders"));
    }

    [Theory]
    [InlineData("a-b", "1.0.0", "orders", "a_b", "1.0.0", "orders")]
    [InlineData("a.1", "0.0.0", "orders", "a", "1.0.0", "orders")]
    [InlineData("shop", "1.0.0", "orders", "shop", "1.0.0-x", "orders")]
    // A pre-release holds dots, as a collection name may: they must not trade places.
    [InlineData("shop", "1.0.0-rc", "x.orders", "shop", "1.0.0-rc.x", "orders")]
    public void Names_OfDifferentBackups_NeverMeet(string project, string version, string source, string otherProject, string otherVersion, string otherSource)
    {
        // $out replaces a collection of the same name: one backup must never overwrite another.
        Assert.NotEqual(MongoBackups.CollectionName("shop", project, version, source), MongoBackups.CollectionName("shop", otherProject, otherVersion, otherSource));
    }

    [Fact]
    public void NameTooLongForMongoDb_IsAHashOfIt_ThatFitsAndStaysTheSame()
    {
        var database = new string('d', 60);
        var collection = new string('é', 100); // two bytes each in UTF-8: MongoDB counts bytes

        var name = MongoBackups.CollectionName(database, "shop", "1.0.0", collection);

        Assert.StartsWith(MongoBackups.Prefix, name, StringComparison.Ordinal);
        Assert.True(Encoding.UTF8.GetByteCount($"{database}.{name}") <= 255, name);
        Assert.Equal(name, MongoBackups.CollectionName(database, "shop", "1.0.0", collection));
        Assert.NotEqual(name, MongoBackups.CollectionName(database, "shop", "1.0.1", collection));
    }

    [Fact]
    public void NameThatJustFits_IsKeptAsItIs()
    {
        var plain = MongoBackups.CollectionName("shop", "p", "1.0.0", "");
        var collection = new string('c', 255 - "shop.".Length - plain.Length);

        Assert.Equal(plain + collection, MongoBackups.CollectionName("shop", "p", "1.0.0", collection));
        Assert.NotEqual(plain + collection + "c", MongoBackups.CollectionName("shop", "p", "1.0.0", collection + "c"));
    }

    [Fact]
    public void Record_ReadsBackAsTheSameBackup()
    {
        var record = new BackupRecord("shop", "1.1.0", "orders", "stepwise_backup.shop@1.1.0@orders", 42, "1.1.0/1/AddChannel",
            new DateTimeOffset(2026, 12, 4, 6, 0, 0, TimeSpan.Zero));

        var document = MongoBackups.ToDocument(record, Guid.NewGuid());

        Assert.Equal(record, MongoBackups.ToRecord(document));
        Assert.Equal(["project", "version", "source"], document["_id"].AsBsonDocument.Names);
    }
}
