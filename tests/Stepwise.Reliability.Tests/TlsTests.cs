using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Npgsql;
using Stepwise.Testing;

namespace Stepwise.Reliability.Tests;

/// <summary>
/// A PostgreSQL cluster that speaks TLS with a certificate for 127.0.0.1 signed by a CA of the test's own, and a second
/// CA that signed nothing the server has.
/// </summary>
public sealed class TlsServer : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("stepwise-tls-").FullName;

    public LocalPostgresCluster? Cluster { get; private set; }

    public string TrustedCa => Path.Combine(_folder, "ca.pem");

    public string UnrelatedCa => Path.Combine(_folder, "other-ca.pem");

    public async ValueTask InitializeAsync()
    {
        if (!LocalPostgresCluster.Available)
        {
            return;
        }

        using var ca = Authority("Stepwise test CA");
        using var other = Authority("Some other CA");
        using var serverKey = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var server = request.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30), RandomNumberGenerator.GetBytes(8));

        await File.WriteAllTextAsync(TrustedCa, ca.ExportCertificatePem());
        await File.WriteAllTextAsync(UnrelatedCa, other.ExportCertificatePem());
        Cluster = await LocalPostgresCluster.StartAsync(
            new Dictionary<string, string> { ["server.crt"] = server.ExportCertificatePem(), ["server.key"] = serverKey.ExportPkcs8PrivateKeyPem() },
            ["ssl=on"]);
    }

    public async ValueTask DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }

        Directory.Delete(_folder, recursive: true);
    }

    private static X509Certificate2 Authority(string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(365));
    }
}

/// <summary>
/// Proves: with SSL Mode=VerifyFull a server whose certificate the given CA did not sign, or that was reached by a name
/// the certificate does not carry, is refused before any credential is sent (exit 8, saying what to check); and an
/// environment profile (spec.environments.production.require_tls: verify-full) refuses a connection that does not verify
/// the server, before connecting.
/// </summary>
public sealed class TlsTests(TlsServer tls) : IClassFixture<TlsServer>
{
    private const string Canary = "Canary-Tls-51c2";

    [Fact]
    public async Task VerifyFullWithTheRightCa_Connects()
    {
        var run = await RunAsync(null, "status", "--connection", Connection("127.0.0.1", "VerifyFull", tls.TrustedCa));

        Assert.True(run.ExitCode == 0, run.ToString());
    }

    [Fact]
    public async Task VerifyFullWithAnotherCa_IsRefusedBeforeTheCredentialsAreSent()
    {
        var run = await RunAsync(null, "status", "--connection", Connection("127.0.0.1", "VerifyFull", tls.UnrelatedCa));

        Assert.Equal(8, run.ExitCode);
        Assert.Contains("did not prove who it is (SSL Mode=VerifyFull)", run.Error, StringComparison.Ordinal);
        Assert.Contains("Check Root Certificate", run.Error, StringComparison.Ordinal);
        Assert.Single(run.Error.Trim().Split('\n'));
        Assert.DoesNotContain(Canary, run.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyFullByANameTheCertificateDoesNotCarry_IsRefused()
    {
        var run = await RunAsync(null, "status", "--connection", Connection("localhost", "VerifyFull", tls.TrustedCa));

        Assert.Equal(8, run.ExitCode);
        Assert.Contains("did not prove who it is", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Prefer")]
    [InlineData("Require")]
    [InlineData("VerifyCA")]
    public async Task ProductionProfile_RefusesAConnectionThatDoesNotVerifyTheHost(string mode)
    {
        using var config = Profile();

        var run = await RunAsync(config.Path, "status", "--environment", "production", "--connection", Connection("127.0.0.1", mode, tls.TrustedCa));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"This environment requires TLS VerifyFull (spec.environments.production.require_tls in {config.Path}), but the connection uses SSL Mode={mode}",
            run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Canary, run.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProductionProfile_AcceptsVerifyFull_AndOtherEnvironmentsKeepTheirOwnRules()
    {
        using var config = Profile();

        var production = await RunAsync(config.Path, "status", "--environment", "production", "--connection", Connection("127.0.0.1", "VerifyFull", tls.TrustedCa));
        var staging = await RunAsync(config.Path, "status", "--environment", "staging", "--connection", Connection("127.0.0.1", "Require", null));

        Assert.True(production.ExitCode == 0, production.ToString());
        Assert.True(staging.ExitCode == 0, staging.ToString());
    }

    private string Connection(string host, string mode, string? rootCertificate)
    {
        var cluster = tls.Cluster ?? throw new InvalidOperationException("No cluster.");
        var builder = new NpgsqlConnectionStringBuilder(cluster.ConnectionString) { Host = host, SslMode = Enum.Parse<SslMode>(mode) };
        if (rootCertificate is not null)
        {
            builder.RootCertificate = rootCertificate;
        }

        return builder.ConnectionString;
    }

    private async Task<CliRun> RunAsync(string? config, params string[] args)
    {
        if (tls.Cluster is null)
        {
            Assert.Skip("A TLS server needs PostgreSQL's server binaries on this machine (apt-get install postgresql); none were found.");
        }

        return await Drill.RunInProcessAsync(null, config is null ? args : [.. args, "--config", config]);
    }

    private static TempConfig Profile() => new(
        """
        apiVersion: v1
        kind: ProjectConfig
        metadata: { name: drill }
        spec:
          environments:
            production: { require_tls: verify-full }
            staging: { require_tls: require }
        """);

    private sealed class TempConfig : IDisposable
    {
        public TempConfig(string yaml)
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"drill-{Guid.NewGuid():N}.yaml");
            File.WriteAllText(Path, yaml);
        }

        public string Path { get; }

        public void Dispose() => File.Delete(Path);
    }
}
