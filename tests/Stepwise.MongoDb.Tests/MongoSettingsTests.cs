using Stepwise.Configuration;
using Stepwise.Execution;
using Stepwise.MongoDb.Internal;

namespace Stepwise.MongoDb.Tests;

public sealed class MongoSettingsTests
{
    private const string Password = "s3cr:t@pw";

    [Fact]
    public void Parts_UseTheDefaultPort_AndLookUsersUpInAdmin()
    {
        var settings = MongoSettings.Build(new DatabaseEndpoint { Host = "db", Database = "shop", User = "deployer", Password = Password }, "stepwise", null);

        Assert.Equal("shop", settings.Database);
        Assert.Equal(27017, settings.Client.Server.Port);
        Assert.Equal(("deployer", "admin"), (settings.Client.Credential.Username, settings.Client.Credential.Source));
        Assert.Equal("stepwise", settings.Client.ApplicationName);
        Assert.Equal("MongoDB at db:27017, database 'shop'", settings.Described);
        Assert.Equal(TlsRequirement.None, settings.Tls);
    }

    [Fact]
    public void Url_KeepsItsOwnOptions_AndIsDescribedWithoutCredentials()
    {
        var url = $"mongodb://deployer:{Uri.EscapeDataString(Password)}@a:27018,b:27019/shop?replicaSet=rs0&authSource=users&tls=true";
        var settings = MongoSettings.Build(new DatabaseEndpoint { ConnectionString = url, Origin = "--connection" }, "stepwise", null);

        Assert.Equal(("users", "rs0"), (settings.Client.Credential.Source, settings.Client.ReplicaSetName));
        Assert.Equal("MongoDB at a:27018,b:27019, database 'shop'", settings.Described);
        Assert.Equal(TlsRequirement.VerifyFull, settings.Tls);
        Assert.DoesNotContain("deployer", settings.Described, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgres://deployer:s3cr:t@pw@db/shop", "is not a MongoDB URL")]
    [InlineData("mongodb://deployer:s3cr:t@pw@db/shop", "is not a valid MongoDB URL")]
    [InlineData("mongodb://db:27017", "names no database: set the URL's path")]
    public void BadUrl_IsOneLineNamingWhatToFix_WithoutThePassword(string url, string expected)
    {
        var ex = Assert.Throws<StepwiseException>(() => MongoSettings.Build(new DatabaseEndpoint { ConnectionString = url, Origin = "--connection" }, "stepwise", null));

        Assert.Equal(FailureKind.Usage, ex.Kind);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void NoHost_SaysWhichVariableToSet() =>
        Assert.Contains("set DB_HOST", Assert.Throws<StepwiseException>(() => MongoSettings.Build(new DatabaseEndpoint { Database = "shop" }, "stepwise", null)).Message,
            StringComparison.Ordinal);

    [Theory]
    [InlineData("disable", TlsRequirement.None)]
    [InlineData("require", TlsRequirement.Encrypted)]
    [InlineData("verify-ca", TlsRequirement.VerifyFull)]
    [InlineData("verify-full", TlsRequirement.VerifyFull)]
    public void SslMode_MapsToMongoDbsTlsOptions(string mode, TlsRequirement level) =>
        Assert.Equal(level, MongoSettings.Build(new DatabaseEndpoint { Host = "db", Database = "shop", TlsMode = mode }, "stepwise", null).Tls);

    [Fact]
    public void UnknownSslMode_IsRefused() =>
        Assert.Contains("not a TLS mode", Assert.Throws<StepwiseException>(() =>
            MongoSettings.Build(new DatabaseEndpoint { Host = "db", Database = "shop", TlsMode = "sometimes" }, "stepwise", null)).Message, StringComparison.Ordinal);

    [Fact]
    public void EnvironmentThatRequiresTls_RefusesAPlainConnection_BeforeAnythingIsSent()
    {
        var settings = MongoSettings.Build(new DatabaseEndpoint { Host = "db", Database = "shop", TlsMode = "require" }, "stepwise", null);
        var profile = new EnvironmentProfile(TlsRequirement.VerifyFull, "environments.production");

        var ex = Assert.Throws<StepwiseException>(() => MongoSettings.RequireTls(settings, profile));

        Assert.Equal(FailureKind.Usage, ex.Kind);
        Assert.Contains("nothing was sent", ex.Message, StringComparison.Ordinal);
        MongoSettings.RequireTls(settings, new EnvironmentProfile(TlsRequirement.Encrypted, "environments.staging"));
    }

    [Fact]
    public void CommandTimeout_BoundsEachWaitForTheServer()
    {
        var settings = MongoSettings.Build(new DatabaseEndpoint { Host = "db", Database = "shop" }, "stepwise", TimeSpan.FromMinutes(5));

        Assert.Equal(TimeSpan.FromMinutes(5), settings.Client.SocketTimeout);
    }

    [Fact]
    public void PrivateCa_MeansTls_EvenWhenTheUrlDoesNotSayIt()
    {
        using var key = System.Security.Cryptography.ECDsa.Create();
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=stepwise-test-ca", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var file = Path.Combine(Path.GetTempPath(), $"stepwise-ca-{Guid.NewGuid():N}.crt");
        File.WriteAllText(file, ca.ExportCertificatePem());
        try
        {
            var settings = MongoSettings.Build(new DatabaseEndpoint { Host = "db", Database = "shop", RootCertificate = file }, "stepwise", null);

            Assert.Equal(TlsRequirement.VerifyFull, settings.Tls);
            Assert.True(settings.Client.UseTls);
            Assert.NotNull(settings.Client.SslSettings?.ServerCertificateValidationCallback);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
