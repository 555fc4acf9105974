using System.Text;

namespace Stepwise;

/// <summary>
/// Shows a value the user gave (an argument, a variable, a file's content) inside a message: short, and with control
/// characters written as escapes, so that an error line can neither run to 100 KB nor drive the reader's terminal.
/// </summary>
public static class EchoedInput
{
    /// <summary>How many characters of a value a message shows.</summary>
    public const int MaxShown = 80;

    /// <summary>The value as a message shows it: at most <see cref="MaxShown"/> characters, control characters escaped.</summary>
    public static string Show(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return value ?? "";
        }

        var shown = new StringBuilder(Math.Min(value.Length, MaxShown) + 24);
        foreach (var c in value.AsSpan(0, Math.Min(value.Length, MaxShown)))
        {
            AppendVisible(shown, c);
        }

        if (value.Length > MaxShown)
        {
            shown.Append($"... ({value.Length} characters)");
        }

        return shown.ToString();
    }

    /// <summary>Writes control characters (other than line breaks and tabs) as <c>\u001b</c>-style escapes.</summary>
    public static string Visible(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!NeedsEscaping(text))
        {
            return text;
        }

        var visible = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (c is '\n' or '\r' or '\t')
            {
                visible.Append(c);
            }
            else
            {
                AppendVisible(visible, c);
            }
        }

        return visible.ToString();
    }

    private static bool NeedsEscaping(string text)
    {
        foreach (var c in text)
        {
            if (IsControl(c) && c is not ('\n' or '\r' or '\t'))
            {
                return true;
            }
        }

        return false;
    }

    private static void AppendVisible(StringBuilder builder, char c)
    {
        if (IsControl(c))
        {
            builder.Append($"\\u{(int)c:x4}");
        }
        else
        {
            builder.Append(c);
        }
    }

    // C0 and C1 controls and DEL: what terminals interpret (ESC starts every escape sequence, and U+009B is a one-character CSI).
    private static bool IsControl(char c) => c < ' ' || c is >= '\u007f' and <= '\u009f';
}
