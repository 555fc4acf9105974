using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Stepwise.Configuration;

// Reading one node of the file: the keys a mapping may hold, scalars, flags, lists and durations, each problem reported
// with the file, line and key, and collected so that the file is reported whole.
public static partial class ProjectConfigReader
{
    private static Dictionary<string, YamlNode> Keys(YamlMappingNode node, string path, Errors errors, params string[] known)
    {
        var result = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in node.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            if (!known.Contains(key, StringComparer.Ordinal))
            {
                var where = path.Length == 0 ? "at the top level" : $"under {path}";
                errors.Add(keyNode.Start, $"unknown key '{EchoedInput.Show(key)}' {where}; known keys: {string.Join(", ", known)}");
                continue;
            }

            result[key] = valueNode;
        }

        return result;
    }

    private static YamlMappingNode? Mapping(Dictionary<string, YamlNode> keys, string key, string path, Errors errors, bool required = false)
    {
        var full = path.Length == 0 ? key : $"{path}.{key}";
        if (!keys.TryGetValue(key, out var node))
        {
            if (required)
            {
                errors.Add(null, $"{full} is missing");
            }

            return null;
        }

        if (node is YamlMappingNode mapping)
        {
            return mapping;
        }

        if (node is YamlScalarNode { Value: null or "" } && !required)
        {
            return null;
        }

        errors.Add(node.Start, $"{full} must be a mapping");
        return null;
    }

    private static string? Scalar(Dictionary<string, YamlNode> keys, string key, string path, Errors errors, bool required = false)
    {
        if (!keys.TryGetValue(key, out var node))
        {
            if (required)
            {
                errors.Add(null, $"{path}.{key} is missing");
            }

            return null;
        }

        if (node is YamlScalarNode scalar && !string.IsNullOrWhiteSpace(scalar.Value))
        {
            return scalar.Value;
        }

        errors.Add(node.Start, $"{path}.{key} must be a non-empty text");
        return null;
    }

    private static bool Bool(Dictionary<string, YamlNode> keys, string key, string path, Errors errors, bool absent)
    {
        if (!keys.TryGetValue(key, out var node))
        {
            return absent;
        }

        if (node is YamlScalarNode { Value: { } text } && Rules.SharedRules.TryParseFlag(text, out var value))
        {
            return value;
        }

        errors.Add(node.Start, $"{path}.{key} must be true or false");
        return absent;
    }

    private static TimeSpan? LockTimeout(Dictionary<string, YamlNode> keys, string path, Errors errors)
    {
        const string key = Rules.SharedRules.LockTimeoutPolicy;
        if (!keys.TryGetValue(key, out var node))
        {
            return null;
        }

        if (node is YamlScalarNode { Value: { } text } && Rules.SharedRules.TryParseLockTimeout(text, out var value))
        {
            return value > TimeSpan.Zero ? value : null;
        }

        errors.Add(node.Start, $"{path}.{key}: '{EchoedInput.Show((node as YamlScalarNode)?.Value)}' is not a lock timeout; write e.g. 5s, 500ms or 1min (0 for none, at most 10min)");
        return null;
    }

    private static List<string> List(Dictionary<string, YamlNode> keys, string key, string path, Errors errors)
    {
        if (!keys.TryGetValue(key, out var node))
        {
            return [];
        }

        if (node is YamlSequenceNode sequence && sequence.Children.All(static c => c is YamlScalarNode))
        {
            return sequence.Children.Select(static c => ((YamlScalarNode)c).Value ?? "").ToList();
        }

        errors.Add(node.Start, $"{path}.{key} must be a list of names");
        return [];
    }

    private static void Expect(Dictionary<string, YamlNode> keys, string key, string expected, Errors errors)
    {
        if (!keys.TryGetValue(key, out var node))
        {
            errors.Add(null, $"{key} is missing; write '{key}: {expected}'");
        }
        else if ((node as YamlScalarNode)?.Value != expected)
        {
            errors.Add(node.Start, $"{key} must be '{expected}'");
        }
    }

    private sealed class Errors(string source)
    {
        private readonly List<string> _messages = [];

        public void Add(Mark? at, string message) =>
            _messages.Add(at is { } mark && mark.Line > 0 ? $"{At(mark)}: {message}" : $"{source}: {message}");

        /// <summary>Adds messages that already say where.</summary>
        public void AddRange(IEnumerable<string> located) => _messages.AddRange(located);

        public string At(Mark mark) => mark.Line > 0 ? $"{source}:{mark.Line}:{mark.Column}" : source;

        public void ThrowIfAny()
        {
            if (_messages.Count > 0)
            {
                throw new StepwiseException(FailureKind.Usage,
                    "The project configuration is invalid:" + Environment.NewLine + string.Join(Environment.NewLine, _messages.Select(static m => "  - " + m)));
            }
        }
    }
}
