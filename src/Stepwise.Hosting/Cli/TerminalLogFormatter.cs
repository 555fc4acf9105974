using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Stepwise.Hosting.Cli;

/// <summary>
/// Progress for a person at a terminal: time and message, with the level only when it is not information.
/// (Kubernetes gets JSON lines instead.)
/// </summary>
internal sealed class TerminalLogFormatter(IOptionsMonitor<ConsoleFormatterOptions> options) : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "stepwise";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (string.IsNullOrEmpty(message))
        {
            return;
        }

        var stamp = options.CurrentValue.UseUtcTimestamp ? DateTimeOffset.UtcNow : DateTimeOffset.Now;
        textWriter.Write(stamp.ToString("HH:mm:ss ", System.Globalization.CultureInfo.InvariantCulture));
        if (logEntry.LogLevel != LogLevel.Information)
        {
            textWriter.Write(logEntry.LogLevel.ToString().ToLowerInvariant());
            textWriter.Write(": ");
        }

        textWriter.WriteLine(message);
    }
}
