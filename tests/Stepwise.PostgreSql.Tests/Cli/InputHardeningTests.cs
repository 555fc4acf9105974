using static Stepwise.PostgreSql.Tests.Cli.StepwiseCli;

namespace Stepwise.PostgreSql.Tests.Cli;

/// <summary>
/// Input an operator gets wrong: one line that says what is wrong, the usage exit code, no stack trace, and nothing of
/// a password or of the terminal-driving bytes it was given. (The broad corpus is in Stepwise.Reliability.Tests.)
/// </summary>
public sealed class InputHardeningTests
{
    private const string Password = "Canary-Pw-4417";

    [Theory]
    [InlineData("--conection", "Host=db;Password=" + Password, "install")]
    [InlineData("Host=db;Username=u;Password=" + Password, "install", null)]
    [InlineData("install", "--connection", null)]
    [InlineData("install", "postgresql://migrator:" + Password + "@db/app", null)]
    public async Task ParseErrorsQuotingAPassword_ShowItAsStars(string first, string? second, string? third)
    {
        string[] args = [first, .. second is null ? [] : new[] { second }, .. third is null ? [] : new[] { third }];

        var run = await RunAsync(Ledger, new Dictionary<string, string> { ["STEPWISE_CONNECTION"] = $"Host=db;Password={Password}" }, args);

        Assert.Equal(2, run.ExitCode);
        Assert.DoesNotContain(Password, run.All, StringComparison.Ordinal);
        Assert.Single(run.Error.Trim().Split('\n'));
        Assert.StartsWith("error: ", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--lock-timeout", "1e300", "--lock-timeout: '1e300' is too long; the most it takes is 24d.")]
    [InlineData("--lock-timeout", "99999999999999", "--lock-timeout: '99999999999999' is too long")]
    [InlineData("--command-timeout", "1e300", "--command-timeout: '1e300' is too long")]
    [InlineData("--lock-timeout", "NaN", "--lock-timeout: 'NaN' is not a duration")]
    [InlineData("--lock-timeout", "-5", "--lock-timeout: '-5' is not a duration")]
    public async Task DurationsOutOfRange_AreUsageErrors(string option, string value, string expected)
    {
        var run = await RunAsync(Ledger, null, "install", option, value, "--connection", "Host=db;Database=x");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("99999999999")]
    public async Task HistoryLimitThatIsNotANumberInRange_IsAUsageError(string limit)
    {
        var run = await RunAsync(Ledger, null, "history", "--limit", limit, "--connection", "Host=db;Database=x");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"--limit takes a whole number from 1 to 100000, not '{limit}'", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TerminalEscapesInAnEchoedValue_AreShownAsEscapes()
    {
        var run = await RunAsync(Ledger, null, "install", "--project", "led\u001b[2Jger\u009b", "--connection", "Host=db;Database=x");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(@"'led\u001b[2Jger\u009b' is not a project name", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', run.All);
        Assert.DoesNotContain('\u009b', run.All);
    }

    [Fact]
    public async Task AHugeArgument_IsShownShortened()
    {
        var huge = new string('9', 100_000);

        var run = await RunAsync(Ledger, null, "install", "--version", huge, "--connection", "Host=db;Database=x");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("... (100000 characters)", run.Error, StringComparison.Ordinal);
        Assert.True(run.Error.Length < 400, run.Error.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("", "--environment: '' is not an environment name")]
    [InlineData("prod uction", "--environment: 'prod uction' is not an environment name")]
    public async Task EnvironmentThatIsNotAName_IsAUsageError(string environment, string expected)
    {
        var run = await RunAsync(Ledger, null, "status", "--environment", environment, "--connection", "Host=db;Database=x");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnclosedFlowMappingFollowedByAnotherLine_IsReportedWithFileAndLine()
    {
        using var config = new ConfigFile("apiVersion: v1\nmetadata: { name: ledger\nkind: ProjectConfig\n");

        var run = await RunAsync(Ledger, null, "config", "check", "--config", config.Path);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"{config.Path}:2:", run.Error, StringComparison.Ordinal);
        Assert.Contains("not valid YAML: a flow mapping or sequence ({ or [) is not closed", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LogLevelDebug_AddsTheCauseOfAFailure_WithoutThePassword()
    {
        var run = await RunAsync(Ledger, null, "status", "--log-level", "debug", "--connection", $"Host=127.0.0.1;Port=1;Database=x;Password={Password};Timeout=3");

        Assert.Equal(8, run.ExitCode);
        Assert.Contains("debug: caused by Npgsql.NpgsqlException: Failed to connect to 127.0.0.1:1 <- System.Net.Sockets.SocketException", run.Error,
            StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, run.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LogLevelThatDoesNotExist_IsAUsageError()
    {
        var run = await RunAsync(Ledger, null, "status", "--log-level", "loud");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("'loud'", run.Error, StringComparison.Ordinal);
    }
}
