using Stepwise.Hosting.Output;
using Stepwise.Observing;

namespace Stepwise.Hosting.Audit;

/// <summary>An entry with its free text cleaned by the output guard, as every byte the runner writes is.</summary>
internal static class AuditCleaning
{
    public static AuditEntry Clean(AuditEntry entry, OutputGuard guard) => entry with
    {
        Error = entry.Error is null ? null : guard.Clean(entry.Error),
        Commands = entry.Commands is null ? null : guard.Clean(entry.Commands),
        Environment = entry.Environment is null ? null : guard.Clean(entry.Environment),
        Who = entry.Who with { Actor = entry.Who.Actor is null ? null : guard.Clean(entry.Who.Actor) },
    };
}

/// <summary>
/// A sink that gets entries cleaned as every byte the runner writes is: a team's sink, or a host's, may send them where
/// the output guard never looks (a chat room, a ticket).
/// </summary>
internal sealed class CleanedSink(IAuditSink inner, OutputGuard guard) : IAuditSink
{
    public void Write(AuditEntry entry) => inner.Write(AuditCleaning.Clean(entry, guard));

    public Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
}
