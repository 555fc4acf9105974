using Stepwise.Testing;

namespace Stepwise.MongoDb.Tests;

/// <summary>
/// The MongoDB sample's own runner, as a process, up to the server: the engine is found from the project's reference,
/// chosen from its project-config.yaml, and a server that does not answer is one line and exit code 8 without the
/// password. (The runs against a real server are the lifecycle specification's.)
/// </summary>
public sealed class SampleRunnerTests
{
    private const string Canary = "Canary-pw-3141";

    private static readonly string Sample = BuiltExecutable.Dll("samples/ECommerce.Documents.Migrations", "ECommerce.Documents.Migrations");

    // Nothing listens on port 1; the driver gives up selecting a server after 1.5 s.
    private static readonly string Unreachable = $"mongodb://deployer:{Canary}@127.0.0.1:1/shop?serverSelectionTimeoutMS=1500&connectTimeoutMS=1000";

    [Fact]
    public async Task ServerThatDoesNotAnswer_IsExitCode8_InOneLine_WithoutThePassword()
    {
        var run = await BuiltExecutable.RunAsync(Sample, "status", "--connection", Unreachable);

        Assert.True(run.ExitCode == 8, run.ToString());
        Assert.Contains("No answer from MongoDB at 127.0.0.1:1, database 'shop'", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Canary, run.All, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DatabaseTypeTheProjectDoesNotDeclare_IsRefusedBeforeConnecting()
    {
        var run = await BuiltExecutable.RunAsync(Sample, "status", "--database-type", "postgresql", "--connection", Unreachable);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("mongodb", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Canary, run.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostgreSqlConnectionString_IsRefusedAsNotAMongoDbUrl()
    {
        var run = await BuiltExecutable.RunAsync(Sample, "status", "--connection", $"Host=127.0.0.1;Database=shop;Username=u;Password={Canary}");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("is not a MongoDB URL", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Canary, run.All, StringComparison.Ordinal);
    }
}
