using System.Text.Json;
using Stepwise.Observing;

namespace Stepwise.Hosting.Audit;

/// <summary>
/// Writes each audit entry as one line of JSON, for a log shipper that reads the runner's output
/// (<c>STEPWISE_AUDIT_JSONL=stdout</c> or <c>stderr</c>). The writer is the runner's guarded one: secrets never pass.
/// </summary>
internal sealed class JsonLinesAuditSink(TextWriter writer, Output.OutputGuard guard) : IAuditSink
{
    private readonly Lock _gate = new();

    public void Write(AuditEntry entry)
    {
        // Cleaned before it is serialized: JSON escaping would hide a secret from the writer's own guard.
        var line = JsonSerializer.Serialize(AuditCleaning.Clean(entry, guard), AuditJsonContext.Default.AuditEntry);
        lock (_gate)
        {
            writer.WriteLine(line);
        }
    }
}
