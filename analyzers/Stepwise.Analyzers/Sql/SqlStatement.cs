using System.Collections.Generic;

namespace Stepwise.Analyzers.Sql;

/// <summary>One statement of a command: its tokens, without the separating semicolon.</summary>
internal sealed class SqlStatement
{
    private readonly List<SqlToken> _tokens;

    private SqlStatement(List<SqlToken> tokens) => _tokens = tokens;

    public int Count => _tokens.Count;

    public SqlToken this[int index] => _tokens[index];

    public int TextStart => _tokens[0].Start;

    public int TextEnd => _tokens[_tokens.Count - 1].End;

    /// <summary>
    /// Splits a command into statements at top-level semicolons. Semicolons inside a SQL-standard function body
    /// (<c>BEGIN ATOMIC … END</c>) do not split it.
    /// </summary>
    public static List<SqlStatement> Split(List<SqlToken> tokens)
    {
        var statements = new List<SqlStatement>();
        var current = new List<SqlToken>();
        var atomicDepth = 0;
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.Kind == SqlTokenKind.Semicolon && atomicDepth == 0)
            {
                if (current.Count > 0)
                {
                    statements.Add(new SqlStatement(current));
                    current = new List<SqlToken>();
                }

                continue;
            }

            if (token.IsWord("BEGIN") && i + 1 < tokens.Count && tokens[i + 1].IsWord("ATOMIC") && current.Count > 0 && current[0].IsWord("CREATE"))
            {
                atomicDepth++;
            }
            else if (atomicDepth > 0 && token.IsWord("CASE"))
            {
                atomicDepth++;
            }
            else if (atomicDepth > 0 && token.IsWord("END"))
            {
                atomicDepth--;
            }

            current.Add(token);
        }

        if (current.Count > 0)
        {
            statements.Add(new SqlStatement(current));
        }

        return statements;
    }

    public bool IsWord(int index, string upperCaseWord) => index >= 0 && index < _tokens.Count && _tokens[index].IsWord(upperCaseWord);

    /// <summary>Moves past <paramref name="words"/> when they all come next, in order.</summary>
    public bool Accept(ref int index, params string[] words)
    {
        for (var k = 0; k < words.Length; k++)
        {
            if (!IsWord(index + k, words[k]))
            {
                return false;
            }
        }

        index += words.Length;
        return true;
    }

    /// <summary>
    /// Reads a possibly qualified name (<c>schema.table</c>, <c>"Quoted"</c>) and returns its last part as PostgreSQL
    /// stores it: unquoted names fold to lower case. Null when no name comes next.
    /// </summary>
    public string? ReadName(ref int index)
    {
        string? name = null;
        while (index < _tokens.Count)
        {
            var token = _tokens[index];
            if (token.Kind == SqlTokenKind.Word)
            {
                name = token.Value.ToLowerInvariant();
            }
            else if (token.Kind == SqlTokenKind.QuotedIdentifier)
            {
                name = token.Value;
            }
            else
            {
                break;
            }

            index++;
            if (index + 1 < _tokens.Count && _tokens[index].Kind == SqlTokenKind.Dot)
            {
                index++;
                continue;
            }

            break;
        }

        return name;
    }

    /// <summary>Where <paramref name="words"/> occur in order, outside parentheses, within [from, to); -1 when they do not.</summary>
    public int FindTopLevel(int from, int to, params string[] words)
    {
        var depth = 0;
        for (var i = from; i < to; i++)
        {
            var kind = _tokens[i].Kind;
            if (kind == SqlTokenKind.OpenParen)
            {
                depth++;
            }
            else if (kind == SqlTokenKind.CloseParen)
            {
                depth--;
            }
            else if (depth == 0 && IsSequenceAt(i, to, words))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Splits [from, Count) at top-level commas: the actions of an ALTER TABLE.</summary>
    public List<(int Start, int End)> SplitTopLevel(int from) => SplitTopLevel(from, _tokens.Count);

    /// <summary>Splits [from, to) at commas outside parentheses: the elements of a CREATE TABLE's list.</summary>
    public List<(int Start, int End)> SplitTopLevel(int from, int to)
    {
        var parts = new List<(int Start, int End)>();
        var depth = 0;
        var start = from;
        for (var i = from; i < to; i++)
        {
            var kind = _tokens[i].Kind;
            if (kind == SqlTokenKind.OpenParen)
            {
                depth++;
            }
            else if (kind == SqlTokenKind.CloseParen)
            {
                depth--;
            }
            else if (kind == SqlTokenKind.Comma && depth == 0)
            {
                if (i > start)
                {
                    parts.Add((start, i));
                }

                start = i + 1;
            }
        }

        if (start < to)
        {
            parts.Add((start, to));
        }

        return parts;
    }

    /// <summary>The index of the parenthesis that closes the one at <paramref name="open"/>; <see cref="Count"/> when none does.</summary>
    public int ClosingParen(int open)
    {
        var depth = 0;
        for (var i = open; i < _tokens.Count; i++)
        {
            var kind = _tokens[i].Kind;
            if (kind == SqlTokenKind.OpenParen)
            {
                depth++;
            }
            else if (kind == SqlTokenKind.CloseParen && --depth == 0)
            {
                return i;
            }
        }

        return _tokens.Count;
    }

    /// <summary>Whether a string constant equal to <paramref name="value"/> occurs in the statement.</summary>
    public bool HasString(string value)
    {
        foreach (var token in _tokens)
        {
            if (token.Kind == SqlTokenKind.String && token.Value == value)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Moves past a parenthesized group starting at <paramref name="index"/>, if there is one.</summary>
    public void SkipParenthesized(ref int index)
    {
        if (index >= _tokens.Count || _tokens[index].Kind != SqlTokenKind.OpenParen)
        {
            return;
        }

        var depth = 0;
        for (; index < _tokens.Count; index++)
        {
            var kind = _tokens[index].Kind;
            if (kind == SqlTokenKind.OpenParen)
            {
                depth++;
            }
            else if (kind == SqlTokenKind.CloseParen && --depth == 0)
            {
                index++;
                return;
            }
        }
    }

    private bool IsSequenceAt(int index, int to, string[] words)
    {
        if (index + words.Length > to)
        {
            return false;
        }

        for (var k = 0; k < words.Length; k++)
        {
            if (!_tokens[index + k].IsWord(words[k]))
            {
                return false;
            }
        }

        return true;
    }
}
