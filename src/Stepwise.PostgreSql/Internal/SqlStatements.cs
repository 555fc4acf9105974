namespace Stepwise.PostgreSql.Internal;

/// <summary>
/// Where each statement of a several-statement command starts and ends, as Npgsql cuts it before sending: at a
/// semicolon outside quotes, dollar quotes, comments and parentheses. It is only read after a failure, to name the
/// statement the server refused, so it must agree with Npgsql's cut exactly: a caller compares the count with Npgsql's
/// and names nothing when the two differ.
/// </summary>
internal static class SqlStatements
{
    /// <summary>The statements of <paramref name="sql"/>: each without its semicolon; one after a semicolon starts at its first non-blank.</summary>
    /// <param name="sql">A command's text.</param>
    /// <param name="standardConformingStrings">The server's <c>standard_conforming_strings</c>: when off, a backslash escapes inside every '…' literal.</param>
    public static List<Range> Split(string sql, bool standardConformingStrings = true)
    {
        var statements = new List<Range>();
        var start = 0;
        var depth = 0;
        var previous = '\0';
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            var next = i + 1 < sql.Length ? sql[i + 1] : '\0';
            switch (c)
            {
                case '-' when next == '-':
                    i = LineEnd(sql, i);
                    previous = '\0';
                    continue;
                case '/' when next == '*':
                    i = BlockCommentEnd(sql, i);
                    previous = '\0';
                    continue;
                case '\'':
                    i = standardConformingStrings ? QuotedEnd(sql, i, '\'') : EscapedEnd(sql, i + 1);
                    previous = '\0';
                    continue;
                case '"':
                    i = QuotedEnd(sql, i, '"');
                    previous = '\0';
                    continue;
                case 'e' or 'E' when next == '\'' && !IsLetter(previous):
                    i = EscapedEnd(sql, i + 2);
                    previous = '\0';
                    continue;
                case '$' when !IsIdentifierPart(previous) && DollarQuoteEnd(sql, i) is { } end:
                    i = end;
                    previous = '\0';
                    continue;
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ';' when depth == 0:
                    statements.Add(start..i);
                    i++;
                    while (i < sql.Length && char.IsWhiteSpace(sql[i]))
                    {
                        i++;
                    }

                    start = i;
                    previous = '\0';
                    continue;
            }

            previous = c;
            i++;
        }

        if (start < sql.Length || statements.Count == 0)
        {
            statements.Add(start..sql.Length);
        }

        return statements;
    }

    /// <summary>Where the code of [<paramref name="from"/>, <paramref name="to"/>) starts, after blanks and comments.</summary>
    public static int CodeStart(string sql, int from, int to)
    {
        var i = from;
        while (i < to)
        {
            if (char.IsWhiteSpace(sql[i]))
            {
                i++;
            }
            else if (sql[i] == '-' && i + 1 < to && sql[i + 1] == '-')
            {
                i = LineEnd(sql, i);
            }
            else if (sql[i] == '/' && i + 1 < to && sql[i + 1] == '*')
            {
                i = BlockCommentEnd(sql, i);
            }
            else
            {
                return i;
            }
        }

        return Math.Min(i, to);
    }

    private static int LineEnd(string sql, int i)
    {
        while (i < sql.Length && sql[i] is not ('\r' or '\n'))
        {
            i++;
        }

        return i;
    }

    // Block comments nest in PostgreSQL: /* a /* b */ c */ is one comment.
    private static int BlockCommentEnd(string sql, int i)
    {
        var level = 0;
        while (i < sql.Length)
        {
            if (sql[i] == '/' && i + 1 < sql.Length && sql[i + 1] == '*')
            {
                level++;
                i += 2;
            }
            else if (sql[i] == '*' && i + 1 < sql.Length && sql[i + 1] == '/')
            {
                i += 2;
                if (--level == 0)
                {
                    return i;
                }
            }
            else
            {
                i++;
            }
        }

        return i;
    }

    // A doubled quote inside ('it''s') closes and opens again, which ends in the same place.
    private static int QuotedEnd(string sql, int i, char quote)
    {
        var close = sql.IndexOf(quote, i + 1);
        return close < 0 ? sql.Length : close + 1;
    }

    // E'…' (or every '…' without standard_conforming_strings): a backslash escapes the next character. A literal
    // continued on a later line ('a'\n'b') is one literal, escapes included.
    private static int EscapedEnd(string sql, int i)
    {
        while (i < sql.Length)
        {
            var c = sql[i++];
            if (c == '\\')
            {
                i++;
            }
            else if (c == '\'')
            {
                if (Continuation(sql, i) is not { } resumed)
                {
                    return i;
                }

                i = resumed;
            }
        }

        return sql.Length;
    }

    private static int? Continuation(string sql, int i)
    {
        var newline = false;
        for (; i < sql.Length; i++)
        {
            switch (sql[i])
            {
                case '\r' or '\n':
                    newline = true;
                    break;
                case ' ' or '\t' or '\f':
                    break;
                case '\'' when newline:
                    return i + 1;
                default:
                    return null;
            }
        }

        return null;
    }

    // $$…$$ or $tag$…$tag$; a $ that opens no tag ($1, a$b) is not a quote.
    private static int? DollarQuoteEnd(string sql, int i)
    {
        var tagEnd = i + 1;
        if (tagEnd < sql.Length && IsTagStart(sql[tagEnd]))
        {
            tagEnd++;
            while (tagEnd < sql.Length && IsTagPart(sql[tagEnd]))
            {
                tagEnd++;
            }
        }

        if (tagEnd >= sql.Length || sql[tagEnd] != '$')
        {
            return null;
        }

        var tag = sql.AsSpan(i, tagEnd - i + 1);
        var close = sql.AsSpan(tagEnd + 1).IndexOf(tag, StringComparison.Ordinal);
        return close < 0 ? sql.Length : tagEnd + 1 + close + tag.Length;
    }

    private static bool IsLetter(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z');

    // Npgsql's reading of an identifier: ASCII letters, _, and the characters \u0080-\u00FF.
    private static bool IsTagStart(char c) => IsLetter(c) || c == '_' || c is >= '\u0080' and <= '\u00FF';

    private static bool IsTagPart(char c) => IsTagStart(c) || c is >= '0' and <= '9';

    private static bool IsIdentifierPart(char c) => IsTagPart(c) || c == '$';
}
