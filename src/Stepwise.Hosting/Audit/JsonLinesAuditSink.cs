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

    /// <summary>
    /// The longest line written. Standard error cuts longer lines, and a cut line is no longer JSON: the statements,
    /// then the error, are shortened until the entry fits (escaping can make 6000 characters of text far longer).
    /// </summary>
    public const int MaxLine = 8000;

    public void Write(AuditEntry entry)
    {
        // Cleaned before it is serialized: JSON escaping would hide a secret from the writer's own guard.
        entry = AuditCleaning.Clean(entry, guard);
        var line = JsonSerializer.Serialize(entry, AuditJsonContext.Default.AuditEntry);
        while (line.Length > MaxLine && Shortened(entry) is { } shorter)
        {
            entry = shorter;
            line = JsonSerializer.Serialize(entry, AuditJsonContext.Default.AuditEntry);
        }

        lock (_gate)
        {
            writer.WriteLine(line);
        }
    }

    // Half of the longer text, marked as cut; null when nothing is left to shorten.
    private static AuditEntry? Shortened(AuditEntry entry) =>
        entry.Commands is { Length: > 80 } commands && commands.Length >= (entry.Error?.Length ?? 0) ? entry with { Commands = Half(commands) }
        : entry.Error is { Length: > 80 } error ? entry with { Error = Half(error) }
        : null;

    private static string Half(string text) => text[..(text.Length / 2)] + "…";
}
