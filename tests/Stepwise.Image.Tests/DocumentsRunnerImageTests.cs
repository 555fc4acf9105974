namespace Stepwise.Image.Tests;

/// <summary>
/// The MongoDB sample's runner image, self-contained (the MongoDB driver does not support Native AOT): it starts as the
/// chart runs it, reads its embedded configuration, and reaches for the server with the one-line failure and exit code
/// of any runner. Running migrations needs a MongoDB server, which the specification suite's MongoDB tests use where
/// one runs.
/// </summary>
public sealed class DocumentsRunnerImageTests(DocumentsRunnerImage image)
{
    private static readonly Dictionary<string, string> NoEnvironment = [];

    [Fact]
    public async Task Image_ChecksItsConfigurationWithoutADatabase()
    {
        var run = await image.RunAsync(["config", "check"], NoEnvironment);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("e-commerce-api: configuration and migrations agree.", run.Output, StringComparison.Ordinal);
        Assert.Contains("1.1.0, 1.2.0 (2 migrations", run.Output, StringComparison.Ordinal);
        Assert.Empty(run.WrittenFiles);
    }

    [Fact]
    public async Task UnreachableServer_FailsInOneLine_WithTheConnectionExitCode_AndNoCredential()
    {
        var run = await image.RunAsync(["status"], new Dictionary<string, string>
        {
            ["STEPWISE_CONNECTION"] = "mongodb://deployer:not-the-password@127.0.0.1:1/ecommerce_docs?serverSelectionTimeoutMS=1000",
            ["STEPWISE_TERMINATION_LOG"] = "/tmp/termination-log",
        });

        Assert.True(run.ExitCode == 8, run.ToString());
        Assert.StartsWith("error: No answer from MongoDB at 127.0.0.1:1, database 'ecommerce_docs'", run.Error, StringComparison.Ordinal);
        // The runner's one line (buildah adds lines of its own about the exit status); the same line for Kubernetes.
        Assert.Single(run.Error.Split('\n'), static l => l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.StartsWith("stepwise exit 8: No answer from MongoDB at 127.0.0.1:1", run.TerminationMessage, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', run.TerminationMessage!.TrimEnd());
        Assert.DoesNotContain("not-the-password", run.Output + run.Error + run.TerminationMessage, StringComparison.Ordinal);
        Assert.Equal(["/tmp/termination-log"], run.WrittenFiles);
    }

    [Fact]
    public async Task Image_RunsTheRunnerAsANonRootNumericUser()
    {
        Assert.Equal("10001:10001", await image.InspectAsync("{{.OCIv1.Config.User}}"));
        Assert.Equal("[/app/runner]", await image.InspectAsync("{{.OCIv1.Config.Entrypoint}}"));
    }
}
