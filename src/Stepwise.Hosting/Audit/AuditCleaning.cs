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
