using System.Collections.Generic;
using System.Globalization;

namespace Stepwise.Analyzers.Sql;

/// <summary>
/// Splits PostgreSQL SQL into tokens the way the server's lexer does, so that keywords inside strings, dollar-quoted
/// bodies, quoted identifiers and comments are never mistaken for statements. Never throws: unterminated constructs
/// run to the end of the text.
/// </summary>
internal static class SqlTokenizer
{
    public static List<SqlToken> Tokenize(string sql)
    {
        var tokens = new List<SqlToken>();
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '-' && Next(sql, i) == '-')
            {
                while (i < sql.Length && sql[i] != '\n')
                {
                    i++;
                }
            }
            else if (c == '/' && Next(sql, i) == '*')
            {
                i = SkipBlockComment(sql, i);
            }
            else if (c == '\'')
            {
                i = ReadString(sql, i, i, backslashEscapes: false, tokens);
            }
            else if (c == '"')
            {
                var start = i;
                var name = ReadQuoted(sql, ref i, '"');
                tokens.Add(new SqlToken(SqlTokenKind.QuotedIdentifier, start, i - start, name));
            }
            else if (c == '$' && i + 1 < sql.Length && char.IsDigit(sql[i + 1]))
            {
                var start = i++;
                while (i < sql.Length && char.IsDigit(sql[i]))
                {
                    i++;
                }

                tokens.Add(new SqlToken(SqlTokenKind.Parameter, start, i - start, sql.Substring(start, i - start)));
            }
            else if (c == '$' && TryReadDollarTag(sql, i) is { } tag)
            {
                var close = sql.IndexOf(tag, i + tag.Length, System.StringComparison.Ordinal);
                var end = close < 0 ? sql.Length : close + tag.Length;
                var bodyStart = i + tag.Length;
                var body = close < 0 ? sql.Substring(bodyStart) : sql.Substring(bodyStart, close - bodyStart);
                tokens.Add(new SqlToken(SqlTokenKind.String, i, end - i, body));
                i = end;
            }
            else if (c == '@' && i + 1 < sql.Length && IsIdentifierStart(sql[i + 1]))
            {
                var start = i++;
                while (i < sql.Length && IsIdentifierPart(sql[i]))
                {
                    i++;
                }

                tokens.Add(new SqlToken(SqlTokenKind.Parameter, start, i - start, sql.Substring(start, i - start)));
            }
            else if (IsIdentifierStart(c))
            {
                i = ReadWordOrPrefixedConstant(sql, i, tokens);
            }
            else if (char.IsDigit(c) || (c == '.' && i + 1 < sql.Length && char.IsDigit(sql[i + 1])))
            {
                var start = i;
                i = ReadNumber(sql, i);
                tokens.Add(new SqlToken(SqlTokenKind.Number, start, i - start, sql.Substring(start, i - start)));
            }
            else
            {
                i = ReadPunctuationOrOperator(sql, i, tokens);
            }
        }

        return tokens;
    }

    private static char Next(string sql, int i) => i + 1 < sql.Length ? sql[i + 1] : '\0';

    private static bool IsIdentifierStart(char c) => c == '_' || char.IsLetter(c);

    private static bool IsIdentifierPart(char c) => c is '_' or '$' || char.IsLetterOrDigit(c);

    // Block comments nest in PostgreSQL.
    private static int SkipBlockComment(string sql, int i)
    {
        var depth = 0;
        while (i < sql.Length)
        {
            if (sql[i] == '/' && Next(sql, i) == '*')
            {
                depth++;
                i += 2;
            }
            else if (sql[i] == '*' && Next(sql, i) == '/')
            {
                i += 2;
                if (--depth == 0)
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

    /// <summary>Reads a quoted run starting at <paramref name="i"/>; a doubled quote stands for itself.</summary>
    private static string ReadQuoted(string sql, ref int i, char quote, bool backslashEscapes = false)
    {
        var value = new System.Text.StringBuilder();
        i++;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (backslashEscapes && c == '\\' && i + 1 < sql.Length)
            {
                value.Append(sql[i + 1]);
                i += 2;
            }
            else if (c == quote)
            {
                if (Next(sql, i) == quote)
                {
                    value.Append(quote);
                    i += 2;
                }
                else
                {
                    i++;
                    return value.ToString();
                }
            }
            else
            {
                value.Append(c);
                i++;
            }
        }

        return value.ToString();
    }

    private static int ReadString(string sql, int tokenStart, int quoteAt, bool backslashEscapes, List<SqlToken> tokens)
    {
        var i = quoteAt;
        var value = ReadQuoted(sql, ref i, '\'', backslashEscapes);
        tokens.Add(new SqlToken(SqlTokenKind.String, tokenStart, i - tokenStart, value));
        return i;
    }

    /// <summary>$$ or $tag$ where tag is an identifier without '$'; null when the '$' opens none.</summary>
    private static string? TryReadDollarTag(string sql, int i)
    {
        var j = i + 1;
        if (j < sql.Length && sql[j] == '$')
        {
            return "$$";
        }

        if (j >= sql.Length || !IsIdentifierStart(sql[j]))
        {
            return null;
        }

        while (j < sql.Length && sql[j] != '$' && (sql[j] == '_' || char.IsLetterOrDigit(sql[j])))
        {
            j++;
        }

        return j < sql.Length && sql[j] == '$' ? sql.Substring(i, j - i + 1) : null;
    }

    private static int ReadWordOrPrefixedConstant(string sql, int i, List<SqlToken> tokens)
    {
        var start = i;
        var c = sql[i];

        // E'…' (C-style escapes), B'…', X'…', N'…'; U&'…' and U&"…".
        if (Next(sql, i) == '\'' && c is 'e' or 'E' or 'b' or 'B' or 'x' or 'X' or 'n' or 'N')
        {
            return ReadString(sql, start, i + 1, backslashEscapes: c is 'e' or 'E', tokens);
        }

        if (c is 'u' or 'U' && Next(sql, i) == '&' && i + 2 < sql.Length && sql[i + 2] is '\'' or '"')
        {
            if (sql[i + 2] == '\'')
            {
                return ReadString(sql, start, i + 2, backslashEscapes: false, tokens);
            }

            var position = i + 2;
            var name = ReadQuoted(sql, ref position, '"');
            tokens.Add(new SqlToken(SqlTokenKind.QuotedIdentifier, start, position - start, name));
            return position;
        }

        while (i < sql.Length && IsIdentifierPart(sql[i]))
        {
            i++;
        }

        tokens.Add(new SqlToken(SqlTokenKind.Word, start, i - start, sql.Substring(start, i - start).ToUpperInvariant()));
        return i;
    }

    private static int ReadNumber(string sql, int i)
    {
        if (sql[i] == '0' && i + 1 < sql.Length && sql[i + 1] is 'x' or 'X' or 'o' or 'O' or 'b' or 'B')
        {
            i += 2;
            while (i < sql.Length && (sql[i] == '_' || char.IsLetterOrDigit(sql[i])))
            {
                i++;
            }

            return i;
        }

        while (i < sql.Length && (char.IsDigit(sql[i]) || sql[i] is '_' or '.'))
        {
            // "1..10" in array slices: the second dot belongs to the operator.
            if (sql[i] == '.' && Next(sql, i) == '.')
            {
                return i;
            }

            i++;
        }

        if (i < sql.Length && sql[i] is 'e' or 'E')
        {
            var j = i + 1;
            if (j < sql.Length && sql[j] is '+' or '-')
            {
                j++;
            }

            if (j < sql.Length && char.IsDigit(sql[j]))
            {
                i = j;
                while (i < sql.Length && char.IsDigit(sql[i]))
                {
                    i++;
                }
            }
        }

        return i;
    }

    private static int ReadPunctuationOrOperator(string sql, int i, List<SqlToken> tokens)
    {
        var kind = sql[i] switch
        {
            '(' => SqlTokenKind.OpenParen,
            ')' => SqlTokenKind.CloseParen,
            ',' => SqlTokenKind.Comma,
            ';' => SqlTokenKind.Semicolon,
            '.' => SqlTokenKind.Dot,
            _ => SqlTokenKind.Operator,
        };

        if (kind != SqlTokenKind.Operator)
        {
            tokens.Add(new SqlToken(kind, i, 1, sql[i].ToString()));
            return i + 1;
        }

        var start = i;
        if (IsOperatorChar(sql[i]))
        {
            // An operator never contains the start of a comment.
            while (i < sql.Length && IsOperatorChar(sql[i]) && !(i > start && IsCommentStart(sql, i)))
            {
                i++;
            }
        }
        else
        {
            i++; // ':', '[', ']' and anything else: one character each.
            if (sql[start] == ':' && i < sql.Length && sql[i] == ':')
            {
                i++;
            }
        }

        tokens.Add(new SqlToken(SqlTokenKind.Operator, start, i - start, sql.Substring(start, i - start)));
        return i;
    }

    private static bool IsCommentStart(string sql, int i) =>
        (sql[i] == '-' && Next(sql, i) == '-') || (sql[i] == '/' && Next(sql, i) == '*');

    private static bool IsOperatorChar(char c) => "+-*/<>=~!@#%^&|`?".IndexOf(c) >= 0;

    internal static string Describe(SqlToken token) => token.Kind == SqlTokenKind.Word
        ? token.Value.ToLower(CultureInfo.InvariantCulture)
        : token.Value;
}
