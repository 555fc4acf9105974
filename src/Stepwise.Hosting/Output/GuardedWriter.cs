using System.Text;

namespace Stepwise.Hosting.Output;

/// <summary>
/// A writer that passes each line through an <see cref="OutputGuard"/> before it reaches the real one, and optionally
/// shortens lines: whatever writes to it (results, errors, the parser, the loggers) cannot bypass the guard.
/// </summary>
/// <remarks>Lines are held until their end so that a secret written in pieces is still recognised.</remarks>
internal sealed class GuardedWriter : TextWriter
{
    private readonly TextWriter _inner;
    private readonly OutputGuard _guard;
    private readonly int _maxLine;
    private readonly StringBuilder _line = new();
    private readonly Lock _gate = new();

    /// <param name="inner">The real writer.</param>
    /// <param name="guard">What cleans each line.</param>
    /// <param name="maxLine">Lines longer than this are cut (0: never).</param>
    public GuardedWriter(TextWriter inner, OutputGuard guard, int maxLine = 0)
        : base(inner.FormatProvider)
    {
        _inner = inner;
        _guard = guard;
        _maxLine = maxLine;
    }

    public override Encoding Encoding => _inner.Encoding;

    /// <summary>The last line written that starts with <c>error: </c>, as cleaned: the run's failure, for the termination log.</summary>
    public string? LastError { get; private set; }

    public override void Write(char value)
    {
        lock (_gate)
        {
            if (value == '\n')
            {
                EmitLine(newLine: true);
            }
            else
            {
                _line.Append(value);
            }
        }
    }

    public override void Write(string? value)
    {
        if (value is null)
        {
            return;
        }

        lock (_gate)
        {
            var start = 0;
            for (var end = value.IndexOf('\n', StringComparison.Ordinal); end >= 0; end = value.IndexOf('\n', start))
            {
                _line.Append(value, start, end - start);
                EmitLine(newLine: true);
                start = end + 1;
            }

            _line.Append(value, start, value.Length - start);
        }
    }

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void WriteLine(string? value) => Write(value + "\n");

    public override void WriteLine() => Write('\n');

    public override Task WriteAsync(char value)
    {
        Write(value);
        return Task.CompletedTask;
    }

    public override Task WriteAsync(string? value)
    {
        Write(value);
        return Task.CompletedTask;
    }

    public override Task WriteLineAsync(string? value)
    {
        WriteLine(value);
        return Task.CompletedTask;
    }

    public override Task WriteLineAsync()
    {
        WriteLine();
        return Task.CompletedTask;
    }

    public override void Flush()
    {
        lock (_gate)
        {
            if (_line.Length > 0)
            {
                EmitLine(newLine: false);
            }

            _inner.Flush();
        }
    }

    public override Task FlushAsync()
    {
        Flush();
        return Task.CompletedTask;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Flush();
        }

        base.Dispose(disposing);
    }

    private void EmitLine(bool newLine)
    {
        var line = _line.ToString();
        _line.Clear();
        if (line.EndsWith('\r'))
        {
            line = line[..^1];
        }

        line = _guard.Clean(line);
        if (line.StartsWith("error: ", StringComparison.Ordinal))
        {
            LastError = line;
        }

        if (_maxLine > 0 && line.Length > _maxLine)
        {
            line = string.Concat(line.AsSpan(0, _maxLine), $"... (line cut: {line.Length} characters)");
        }

        _inner.Write(newLine ? line + "\n" : line);
    }
}
