using System.Text;

namespace Stepwise.Execution;

/// <summary>
/// The statement (or command) the database refused, as an engine names it on the exception it lets through: the step's
/// failure then says which of a command's statements failed and where, not only the server's message. The exception
/// itself is not replaced, so a migration that catches the driver's own type still can.
/// </summary>
public sealed class FailedStatement
{
    /// <summary>The most characters of the statement a failure's message shows.</summary>
    public const int ShownLength = 200;

    private const string DataKey = "Stepwise.FailedStatement";

    /// <summary>A statement the database refused.</summary>
    /// <param name="text">The statement as the migration wrote it.</param>
    /// <param name="number">Its place among the statements of the command it was sent in, from 1.</param>
    /// <param name="count">How many statements that command held.</param>
    /// <param name="line">
    /// The line of the command's text where the server found the error, or where the statement starts when the server
    /// named no position; from 1.
    /// </param>
    public FailedStatement(string text, int number, int count, int line)
    {
        ArgumentNullException.ThrowIfNull(text);
        (Text, Number, Count, Line) = (text, number, count, line);
    }

    /// <summary>The statement as the migration wrote it.</summary>
    public string Text { get; }

    /// <summary>Its place among the statements of the command it was sent in, from 1.</summary>
    public int Number { get; }

    /// <summary>How many statements that command held.</summary>
    public int Count { get; }

    /// <summary>The line of the command's text where the error is (or the statement starts), from 1.</summary>
    public int Line { get; }

    /// <summary>Names this statement on <paramref name="exception"/> (in its <see cref="Exception.Data"/>).</summary>
    public void AttachTo(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        exception.Data[DataKey] = this;
    }

    /// <summary>The statement named on <paramref name="exception"/> or on one of its inner exceptions, if any.</summary>
    public static FailedStatement? Of(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception.Data[DataKey] is FailedStatement statement)
            {
                return statement;
            }
        }

        return null;
    }

    /// <summary>
    /// The sentence a failure's message adds, e.g. <c>Failed statement (2 of 3, line 5): INSERT INTO …</c>: on one
    /// line, at most <see cref="ShownLength"/> characters of the statement, password literals and secrets taken out.
    /// </summary>
    internal string Describe(Redaction redaction)
    {
        var where = new List<string>(2);
        if (Count > 1)
        {
            where.Add($"{Number} of {Count}");
        }

        if (Count > 1 || Line > 1)
        {
            where.Add($"line {Line}");
        }

        var shown = BoundedText.Cut(OneLine(SentCommands.Clean(Text, redaction)), ShownLength);

        return where.Count == 0 ? $"Failed statement: {shown}" : $"Failed statement ({string.Join(", ", where)}): {shown}";
    }

    // Runs of blanks and line breaks as one space: the message is one line in the logs and the audit entry.
    private static string OneLine(string text)
    {
        var line = new StringBuilder(Math.Min(text.Length, ShownLength * 2));
        var blank = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                blank = line.Length > 0;
                continue;
            }

            if (blank)
            {
                line.Append(' ');
                blank = false;
            }

            line.Append(c);
            if (line.Length > ShownLength)
            {
                break;
            }
        }

        return line.ToString();
    }
}
