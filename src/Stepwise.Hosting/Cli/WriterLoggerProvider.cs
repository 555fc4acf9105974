using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Stepwise.Hosting.Cli;

/// <summary>
/// Writes log lines to a given writer: lets a host (or a test) capture the runner's logs in-process. The host's filters
/// choose the levels. With a formatter (JSON logs), lines are the formatter's, scopes included; without, they are
/// <c>level: message</c>.
/// </summary>
internal sealed class WriterLoggerProvider(TextWriter writer, ConsoleFormatter? formatter = null) : ILoggerProvider, ISupportExternalScope
{
    private readonly TextWriter _writer = writer;
    private readonly ConsoleFormatter? _formatter = formatter;
    private IExternalScopeProvider? _scopes;

    public ILogger CreateLogger(string categoryName) => new WriterLogger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class WriterLogger(WriterLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => provider._scopes?.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            lock (provider)
            {
                if (provider._formatter is { } lines)
                {
                    lines.Write(new LogEntry<TState>(logLevel, category, eventId, state, exception, formatter), provider._scopes, provider._writer);
                }
                else
                {
                    provider._writer.WriteLine($"{logLevel.ToString().ToLowerInvariant()}: {formatter(state, exception)}");
                }
            }
        }
    }
}
