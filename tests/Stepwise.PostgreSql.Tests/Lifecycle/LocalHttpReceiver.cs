using System.Net;
using System.Text;

namespace Stepwise.PostgreSql.Tests.Lifecycle;

/// <summary>
/// A local HTTP endpoint for the runner to send to (an OTLP collector, an audit webhook): keeps every request's body by
/// path, and answers 200, answers 500, or takes the request and never answers.
/// </summary>
public sealed class LocalHttpReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly List<(string Path, string Body)> _received = [];
    private readonly Answer _answer;
    private readonly Encoding _encoding;
    private readonly Task _serving;

    /// <param name="answer">How every request is answered.</param>
    /// <param name="encoding">How bodies are read; Latin-1 keeps every byte of a binary body (protobuf) as one character.</param>
    public LocalHttpReceiver(Answer answer = Answer.Ok, Encoding? encoding = null)
    {
        _answer = answer;
        _encoding = encoding ?? Encoding.UTF8;
        Address = $"http://127.0.0.1:{Stepwise.Testing.LocalPorts.Free()}/";
        _listener.Prefixes.Add(Address);
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public enum Answer
    {
        Ok,
        Fails,
        Hangs,
    }

    /// <summary>The base address, with a trailing slash.</summary>
    public string Address { get; }

    /// <summary>The bodies received at <paramref name="path"/> (every path when <c>null</c>), in order.</summary>
    public IReadOnlyList<string> Bodies(string? path = null)
    {
        lock (_received)
        {
            return [.. _received.Where(r => path is null || r.Path == path).Select(static r => r.Body)];
        }
    }

    public void Dispose()
    {
        _listener.Close();
        _serving.Wait(TimeSpan.FromSeconds(5));
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using var content = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(content);
            lock (_received)
            {
                _received.Add((context.Request.Url!.AbsolutePath, _encoding.GetString(content.ToArray())));
            }

            if (_answer == Answer.Hangs)
            {
                continue; // never answered; Dispose's Close ends it
            }

            context.Response.StatusCode = _answer == Answer.Ok ? 200 : 500;
            context.Response.Close();
        }
    }
}
