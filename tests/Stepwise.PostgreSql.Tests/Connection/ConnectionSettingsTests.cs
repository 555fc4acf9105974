using Stepwise.Execution;
using Stepwise.PostgreSql.Internal;

namespace Stepwise.PostgreSql.Tests.Connection;

public sealed class ConnectionSettingsTests
{
    [Fact]
    public void RepeatedStatements_ArePreparedByDefault()
    {
        var fromString = ConnectionSettings.Build(new DatabaseEndpoint { ConnectionString = "Host=db;Database=shop;Username=app" }, "stepwise", null);
        var fromParts = ConnectionSettings.Build(new DatabaseEndpoint { Host = "db", Database = "shop", User = "app" }, "stepwise", null);

        Assert.Equal(ConnectionSettings.AutoPreparedStatements, fromString.MaxAutoPrepare);
        Assert.Equal(2, fromString.AutoPrepareMinUsages);
        Assert.Equal(ConnectionSettings.AutoPreparedStatements, fromParts.MaxAutoPrepare);
    }

    [Theory]
    [InlineData("Host=db;Database=shop;Max Auto Prepare=0", 0)]
    [InlineData("Host=db;Database=shop;maxautoprepare=0", 0)]
    [InlineData("Host=db;Database=shop;Max Auto Prepare=50", 50)]
    public void ConnectionStringThatSetsMaxAutoPrepare_KeepsItsValue(string connectionString, int expected)
    {
        var builder = ConnectionSettings.Build(new DatabaseEndpoint { ConnectionString = connectionString }, "stepwise", null);

        Assert.Equal(expected, builder.MaxAutoPrepare);
    }
}
