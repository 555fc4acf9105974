using System.Text.Json;
using Stepwise.Observing;

namespace Stepwise.Hosting.Audit;

/// <summary>
/// Writes each audit entry as one line of JSON, for a log shipper that reads the runner's output
/// (<c>STEPWISE_AUDIT_JSONL=stdout</c> or <c>stderr</c>). The writer is the runner's guarded one: secrets never pass.
/// </summary>
internal sealed class JsonLinesAuditSink(TextWriter writer) : IAuditSink
{
    private readonly Lock _gate = new();

    public void Write(AuditEntry entry)
    {
        var line = JsonSerializer.Serialize(entry, AuditJsonContext.Default.AuditEntry);
        lock (_gate)
        {
            writer.WriteLine(line);
        }
    }
}
