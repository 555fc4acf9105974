using System;
using System.Collections.Generic;

namespace Stepwise.Analyzers.Policy;

/// <summary>
/// Reads the mappings of a YAML document, block style (<c>key:</c> with indented children) or flow style
/// (<c>{ key: value }</c>), into nested dictionaries of strings. Sequences, anchors and multi-line scalars are
/// skipped: the analyzers need a handful of booleans and must not carry a YAML library into every compiler.
/// </summary>
internal static class SimpleYaml
{
    public static Dictionary<string, object?> Parse(string text)
    {
        var root = new Dictionary<string, object?>(StringComparer.Ordinal);
        var stack = new List<(int Indent, Dictionary<string, object?> Map)> { (-1, root) };
        int? skipDeeperThan = null;

        foreach (var rawLine in text.Split('\n'))
        {
            var line = StripComment(rawLine.TrimEnd('\r'));
            var content = line.TrimStart(' ');
            if (content.Trim().Length == 0 || content.StartsWith("---", StringComparison.Ordinal) || content.StartsWith("...", StringComparison.Ordinal))
            {
                continue;
            }

            var indent = line.Length - content.Length;
            if (skipDeeperThan is { } limit)
            {
                if (indent > limit)
                {
                    continue;
                }

                skipDeeperThan = null;
            }

            while (stack.Count > 1 && stack[stack.Count - 1].Indent >= indent)
            {
                stack.RemoveAt(stack.Count - 1);
            }

            if (content.StartsWith("-", StringComparison.Ordinal))
            {
                // A sequence item and everything nested under it: not needed, and not to be read as keys of the parent.
                skipDeeperThan = indent;
                continue;
            }

            var colon = FindMappingColon(content);
            if (colon < 0)
            {
                continue;
            }

            var key = Unquote(content.Substring(0, colon).Trim());
            var value = content.Substring(colon + 1).Trim();
            var parent = stack[stack.Count - 1].Map;
            if (value.Length == 0)
            {
                var child = new Dictionary<string, object?>(StringComparer.Ordinal);
                parent[key] = child;
                stack.Add((indent, child));
            }
            else if (value[0] == '{')
            {
                var position = 0;
                parent[key] = ParseFlow(value, ref position);
            }
            else if (value[0] is '[' or '|' or '>' or '&' or '*')
            {
                parent[key] = null;
                skipDeeperThan = indent;
            }
            else
            {
                parent[key] = Unquote(value);
            }
        }

        return root;
    }

    public static object? Find(IReadOnlyDictionary<string, object?> map, params string[] path)
    {
        object? current = map;
        foreach (var key in path)
        {
            if (current is not IReadOnlyDictionary<string, object?> dictionary || !dictionary.TryGetValue(key, out current))
            {
                return null;
            }
        }

        return current;
    }

    private static object? ParseFlow(string text, ref int position)
    {
        SkipSpaces(text, ref position);
        if (position >= text.Length)
        {
            return null;
        }

        if (text[position] == '[')
        {
            SkipBalanced(text, ref position);
            return null;
        }

        if (text[position] != '{')
        {
            var start = position;
            while (position < text.Length && text[position] is not (',' or '}' or ']'))
            {
                if (text[position] is '"' or '\'')
                {
                    SkipQuoted(text, ref position);
                }
                else
                {
                    position++;
                }
            }

            return Unquote(text.Substring(start, position - start).Trim());
        }

        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        position++;
        while (position < text.Length)
        {
            SkipSpaces(text, ref position);
            if (position >= text.Length)
            {
                break;
            }

            if (text[position] == '}')
            {
                position++;
                break;
            }

            if (text[position] == ',')
            {
                position++;
                continue;
            }

            var keyStart = position;
            while (position < text.Length && text[position] is not (':' or ',' or '}'))
            {
                if (text[position] is '"' or '\'')
                {
                    SkipQuoted(text, ref position);
                }
                else
                {
                    position++;
                }
            }

            var key = Unquote(text.Substring(keyStart, position - keyStart).Trim());
            if (position < text.Length && text[position] == ':')
            {
                position++;
                map[key] = ParseFlow(text, ref position);
            }
            else
            {
                map[key] = null;
            }
        }

        return map;
    }

    private static void SkipSpaces(string text, ref int position)
    {
        while (position < text.Length && char.IsWhiteSpace(text[position]))
        {
            position++;
        }
    }

    private static void SkipQuoted(string text, ref int position)
    {
        var quote = text[position++];
        while (position < text.Length && text[position] != quote)
        {
            position += text[position] == '\\' && quote == '"' ? 2 : 1;
        }

        position = Math.Min(position + 1, text.Length);
    }

    private static void SkipBalanced(string text, ref int position)
    {
        var depth = 0;
        while (position < text.Length)
        {
            var c = text[position];
            if (c is '"' or '\'')
            {
                SkipQuoted(text, ref position);
                continue;
            }

            position++;
            if (c is '[' or '{')
            {
                depth++;
            }
            else if (c is ']' or '}' && --depth == 0)
            {
                return;
            }
        }
    }

    // A mapping's colon is followed by a space or ends the line; a colon inside quotes or a URL is not one.
    private static int FindMappingColon(string content)
    {
        for (var i = 0; i < content.Length; i++)
        {
            var c = content[i];
            if (c is '"' or '\'')
            {
                var position = i;
                SkipQuoted(content, ref position);
                i = position - 1;
            }
            else if (c == ':' && (i + 1 == content.Length || content[i + 1] is ' ' or '\t'))
            {
                return i;
            }
        }

        return -1;
    }

    private static string StripComment(string line)
    {
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c is '"' or '\'')
            {
                var position = i;
                SkipQuoted(line, ref position);
                i = position - 1;
            }
            else if (c == '#' && (i == 0 || line[i - 1] is ' ' or '\t'))
            {
                return line.Substring(0, i);
            }
        }

        return line;
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && value[0] == value[value.Length - 1] && value[0] is '"' or '\''
            ? value.Substring(1, value.Length - 2)
            : value;
}
