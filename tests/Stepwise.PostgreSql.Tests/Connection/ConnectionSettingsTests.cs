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

    [Fact]
    public void PostgresUri_SetsWhatItsPartsAndParametersSay()
    {
        var builder = ConnectionSettings.Build(new DatabaseEndpoint
        {
            ConnectionString = "postgresql://mig%40rator:p%40ss%3Aword@db.internal:6432/shop%20eu" +
                "?sslmode=verify-full&sslrootcert=/etc/ca.pem&application_name=deploy&connect_timeout=7&target_session_attrs=read-write",
        }, "stepwise", null);

        Assert.Equal(("db.internal", 6432, "shop eu", "mig@rator", "p@ss:word"), (builder.Host, builder.Port, builder.Database, builder.Username, builder.Password));
        Assert.Equal((Npgsql.SslMode.VerifyFull, "/etc/ca.pem", "deploy", 7), (builder.SslMode, builder.RootCertificate, builder.ApplicationName, builder.Timeout));
        Assert.Equal("read-write", builder.TargetSessionAttributes);
    }

    [Theory]
    [InlineData("postgres://app@[::1]/shop", "::1", 5432)]
    [InlineData("postgresql://app@localhost:5433/shop", "localhost", 5433)]
    [InlineData("  postgresql://app@localhost/shop  ", "localhost", 5432)]
    public void PostgresUri_TakesEitherSchemeAnIpv6HostAndTheDefaultPort(string uri, string host, int port)
    {
        var builder = ConnectionSettings.Build(new DatabaseEndpoint { ConnectionString = uri }, "stepwise", null);

        Assert.Equal((host, port, "shop", "app"), (builder.Host, builder.Port, builder.Database, builder.Username));
    }

    [Fact]
    public void PostgresUri_PasswordIsASecret_AsWrittenAndDecoded()
    {
        var endpoint = new DatabaseEndpoint { ConnectionString = "postgresql://app:s%40cret@db/shop" };

        Assert.Contains("s%40cret", endpoint.Secrets());
        Assert.Contains("s@cret", endpoint.Secrets());
    }
}
