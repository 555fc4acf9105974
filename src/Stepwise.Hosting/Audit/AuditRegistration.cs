using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Stepwise.Hosting.Output;
using Stepwise.Observing;

namespace Stepwise.Hosting.Audit;

/// <summary>The audit trail's sinks, as the environment asks for them, and who the trail says ran the migration.</summary>
internal static class AuditRegistration
{
    public const string JsonLinesVariable = "STEPWISE_AUDIT_JSONL";
    public const string WebhookVariable = "STEPWISE_AUDIT_WEBHOOK_URL";

    /// <summary>How long the runner waits, at exit, for sinks to deliver what they hold.</summary>
    public static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(5);

    /// <exception cref="StepwiseException">A variable holds something the runner cannot use (kind <see cref="FailureKind.Usage"/>).</exception>
    public static void Register(IServiceCollection services, Func<string, string?> environment, TextWriter output, TextWriter error, OutputGuard guard)
    {
        switch (environment(JsonLinesVariable)?.Trim())
        {
            case null or "":
                break;
            case "stdout":
                services.AddSingleton<IAuditSink>(new JsonLinesAuditSink(output, guard));
                break;
            case "stderr":
                services.AddSingleton<IAuditSink>(new JsonLinesAuditSink(error, guard));
                break;
            default:
                throw new StepwiseException(FailureKind.Usage, $"{JsonLinesVariable} must be stdout or stderr.");
        }

        if (environment(WebhookVariable)?.Trim() is { Length: > 0 } webhook)
        {
            if (!Uri.TryCreate(webhook, UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https"))
            {
                throw new StepwiseException(FailureKind.Usage, $"{WebhookVariable} must be an http or https address.");
            }

            guard.Add([webhook]);
            services.AddSingleton<IAuditSink>(provider =>
                new WebhookAuditSink(address, guard, provider.GetRequiredService<ILoggerFactory>().CreateLogger("Stepwise.Audit")));
        }

        services.AddSingleton<IRunObserver>(provider => new AuditTrail(
            provider.GetServices<IAuditSink>().Select(sink => (IAuditSink)new CleanedSink(sink, guard)), Who(environment), TimeProvider.System));
    }

    /// <summary>Flushes every sink, together within <see cref="FlushTimeout"/>.</summary>
    public static async Task FlushAsync(IServiceProvider services)
    {
        using var bounded = new CancellationTokenSource(FlushTimeout);
        await Task.WhenAll(services.GetServices<IAuditSink>().Select(sink => FlushQuietlyAsync(sink, bounded.Token))).ConfigureAwait(false);
    }

    private static async Task FlushQuietlyAsync(IAuditSink sink, CancellationToken cancellationToken)
    {
        try
        {
            await sink.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A sink's failure to deliver is reported by the sink; it never changes the run's outcome.
        }
    }

    /// <summary>Who runs, from where, and which build: the deploying identity is given explicitly, or is the CI system's user.</summary>
    public static AuditActor Who(Func<string, string?> environment) => new(
        First(environment, "STEPWISE_ACTOR", "GITHUB_ACTOR", "GITLAB_USER_LOGIN", "BUILD_REQUESTEDFOR"),
        System.Environment.UserName,
        System.Environment.MachineName,
        First(environment, "STEPWISE_SERVICE_ACCOUNT"),
        First(environment, "STEPWISE_GIT_COMMIT", "GITHUB_SHA", "CI_COMMIT_SHA"),
        First(environment, "STEPWISE_IMAGE"));

    private static string? First(Func<string, string?> environment, params string[] names) =>
        names.Select(environment).FirstOrDefault(static v => !string.IsNullOrWhiteSpace(v))?.Trim();
}
