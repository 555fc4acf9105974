using Microsoft.Extensions.Hosting;

namespace Stepwise.Hosting.Cli;

/// <summary>
/// The host's lifetime when the command line owns the process: System.CommandLine already turns SIGINT and SIGTERM into
/// the run's cancellation, so the host registers no signal handlers of its own (the console lifetime would register a
/// second set, and costs a noticeable part of a short run's start).
/// </summary>
internal sealed class CommandLineLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
