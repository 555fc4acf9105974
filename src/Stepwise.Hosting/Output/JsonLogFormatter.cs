using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Stepwise.Hosting.Output;

/// <summary>
/// One JSON object per log line, for a Job's log collector: time, level, category, message, and every field of the
/// message and of the scopes around it (runId, project, operation, environment, migration, migrationKey, phase) at the
/// top level, named in camel case. An exception is its type and message, on the same line.
/// </summary>
/// <remarks>
/// Every text is cleaned by the output guard before it is escaped: JSON escaping (a quote, a non-ASCII character) would
/// otherwise hide a secret from the guard that reads the finished line.
/// </remarks>
internal sealed class JsonLogFormatter(OutputGuard guard, TimeProvider time) : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "stepwise-json";

    private const string TemplateKey = "{OriginalFormat}";

    /// <summary>
    /// The longest text a field carries; longer ones are cut with an ellipsis. Standard error cuts lines at 8192
    /// characters, and a line cut there would no longer be JSON.
    /// </summary>
    public const int MaxFieldLength = 2000;

    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly string[] Reserved = ["time", "level", "category", "event", "message", "exception"];

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (string.IsNullOrEmpty(message) && logEntry.Exception is null)
        {
            return;
        }

        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteString("time", time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
            json.WriteString("level", logEntry.LogLevel.ToString().ToLowerInvariant());
            json.WriteString("category", logEntry.Category);
            if (logEntry.EventId.Name is { } name)
            {
                json.WriteString("event", name);
            }

            json.WriteString("message", Bounded(guard.Clean(message ?? "")));
            if (logEntry.Exception is { } exception)
            {
                json.WriteString("exception", Bounded(guard.Clean($"{exception.GetType().FullName}: {exception.Message}".ReplaceLineEndings(" "))));
            }

            var written = new HashSet<string>(Reserved, StringComparer.Ordinal);
            WriteFields(json, logEntry.State, written);
            scopeProvider?.ForEachScope(static (scope, state) => state.formatter.WriteFields(state.json, scope, state.written), (json, written, formatter: this));
            json.WriteEndObject();
        }

        textWriter.WriteLine(Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    private void WriteFields(Utf8JsonWriter json, object? state, HashSet<string> written)
    {
        if (state is not IEnumerable<KeyValuePair<string, object?>> fields)
        {
            return;
        }

        foreach (var (key, value) in fields)
        {
            var name = JsonNamingPolicy.CamelCase.ConvertName(key);
            if (key == TemplateKey || !written.Add(name))
            {
                continue;
            }

            json.WritePropertyName(name);
            WriteValue(json, value);
        }
    }

    private void WriteValue(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case bool flag:
                json.WriteBooleanValue(flag);
                break;
            case int or long or short or byte or uint or ushort:
                json.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case double or float or decimal:
                var number = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                if (double.IsFinite(number))
                {
                    json.WriteNumberValue(number);
                }
                else
                {
                    json.WriteStringValue(number.ToString(CultureInfo.InvariantCulture));
                }

                break;
            default:
                json.WriteStringValue(Bounded(guard.Clean(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "")));
                break;
        }
    }

    private static string Bounded(string text) => text.Length <= MaxFieldLength ? text : text[..(MaxFieldLength - 1)] + "…";
}
