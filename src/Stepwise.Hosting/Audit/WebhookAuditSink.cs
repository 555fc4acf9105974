using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Stepwise.Hosting.Output;
using Stepwise.Observing;

namespace Stepwise.Hosting.Audit;

/// <summary>
/// POSTs each audit entry as JSON to a webhook (<c>STEPWISE_AUDIT_WEBHOOK_URL</c>), in the background and in order. An
/// entry is tried <see cref="Attempts"/> times, with a pause that doubles from <see cref="FirstPause"/>, each attempt
/// bounded by <see cref="AttemptTimeout"/>. What is still queued when the runner exits gets the flush's bounded time,
/// then is dropped with a warning: a webhook that is down or hangs never fails a migration or holds it up for long.
/// </summary>
internal sealed partial class WebhookAuditSink : IAuditSink, IDisposable
{
    internal const int Attempts = 3;
    internal static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(200);
    internal static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(2);

    private readonly Channel<string> _queue = Channel.CreateBounded<string>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly HttpClient _client;
    private readonly Uri _address;
    private readonly OutputGuard _guard;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sending;
    private int _undelivered;

    public WebhookAuditSink(Uri address, OutputGuard guard, ILogger logger, HttpMessageHandler? handler = null)
    {
        _address = address;
        _guard = guard;
        _logger = logger;
        _client = handler is null ? new HttpClient() : new HttpClient(handler);
        _client.Timeout = Timeout.InfiniteTimeSpan;
        _sending = Task.Run(SendAllAsync);
    }

    /// <summary>Where entries go, for messages: scheme, host and port only (a path or query may hold a token).</summary>
    public string Where => _address.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped);

    public void Write(AuditEntry entry)
    {
        // Cleaned before it is serialized (JSON escaping would hide a secret from the guard), like every byte the runner
        // writes: an error message may quote what a driver said.
        if (!_queue.Writer.TryWrite(JsonSerializer.Serialize(AuditCleaning.Clean(entry, _guard), AuditJsonContext.Default.AuditEntry)))
        {
            Interlocked.Increment(ref _undelivered);
        }
    }

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        try
        {
            await _sending.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Out of time: the sender stops and counts what it did not deliver; it never takes long to notice.
            await _stop.CancelAsync().ConfigureAwait(false);
            await _sending.WaitAsync(TimeSpan.FromSeconds(1), CancellationToken.None).ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
        }

        if (Volatile.Read(ref _undelivered) is > 0 and var count)
        {
            LogUndelivered(count, Where);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _queue.Writer.TryComplete();
        if (_sending.Wait(TimeSpan.FromSeconds(1)))
        {
            _client.Dispose();
            _stop.Dispose();
        }
    }

    // The one place that counts entries not delivered: failed ones, and those left when the flush ran out of time.
    private async Task SendAllAsync()
    {
        while (await WaitToReadAsync().ConfigureAwait(false))
        {
            while (_queue.Reader.TryRead(out var payload))
            {
                if (_stop.IsCancellationRequested || !await SendAsync(payload).ConfigureAwait(false))
                {
                    Interlocked.Increment(ref _undelivered);
                }
            }
        }

        while (_queue.Reader.TryRead(out _))
        {
            Interlocked.Increment(ref _undelivered);
        }
    }

    private async Task<bool> WaitToReadAsync()
    {
        try
        {
            return await _queue.Reader.WaitToReadAsync(_stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task<bool> SendAsync(string payload)
    {
        var pause = FirstPause;
        for (var attempt = 1; attempt <= Attempts && !_stop.IsCancellationRequested; attempt++)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(AttemptTimeout);
            try
            {
                using var content = new StringContent(payload, Encoding.UTF8);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await _client.PostAsync(_address, content, timeout.Token).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return true;
                }

                LogAttemptFailed(Where, attempt, $"HTTP {(int)response.StatusCode}");
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogAttemptFailed(Where, attempt, ex is OperationCanceledException ? $"no answer within {AttemptTimeout.TotalSeconds:0} s" : ex.GetType().Name);
            }

            if (attempt < Attempts)
            {
                try
                {
                    await Task.Delay(pause, _stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return false;
                }

                pause *= 2;
            }
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Audit webhook {Where}: attempt {Attempt} failed ({Reason})")]
    private partial void LogAttemptFailed(string where, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Audit webhook {Where}: {Count} audit entries were not delivered; the database's audit_log and history hold them")]
    private partial void LogUndelivered(int count, string where);
}
