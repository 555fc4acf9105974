namespace Stepwise.Hosting.Output;

/// <summary>
/// Leaves a failed run's one-line summary where Kubernetes shows it after the logs are gone: the container's
/// termination message (<c>kubectl describe pod</c>, <c>kubectl get pod -o jsonpath='{..terminated.message}'</c>).
/// </summary>
/// <remarks>
/// The path is <c>STEPWISE_TERMINATION_LOG</c> (empty: none), else <c>/dev/termination-log</c> when it exists (Kubernetes
/// creates it in every container). The line is the run's last error, already through the output guard.
/// </remarks>
internal static class TerminationLog
{
    private const string KubernetesDefault = "/dev/termination-log";

    // Kubernetes keeps at most 4096 bytes of a termination message.
    private const int MaxLength = 4000;

    public static void Write(Func<string, string?> environment, int exitCode, string? error)
    {
        var configured = environment("STEPWISE_TERMINATION_LOG");
        var path = configured ?? (File.Exists(KubernetesDefault) ? KubernetesDefault : null);
        if (string.IsNullOrEmpty(path))
        {
            return;
        }

        var summary = $"stepwise exit {exitCode}: {(error is null ? "see the container's log" : error["error: ".Length..])}";
        try
        {
            File.WriteAllText(path, summary.Length > MaxLength ? summary[..MaxLength] : summary);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Nowhere to leave it (a read-only file system without the Kubernetes file): the log still has the line.
        }
    }
}
