using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using k8s;
using YamlDotNet.RepresentationModel;

namespace Stepwise.Chart.Tests;

/// <summary>One rendered document: its text, and the same as JSON for the invariants.</summary>
public sealed record Manifest(string Text, JsonObject Json)
{
    public string Kind => Json["kind"]!.GetValue<string>();

    public string Name => Json["metadata"]!["name"]!.GetValue<string>();

    public JsonNode? this[string path] => path.Split('.').Aggregate((JsonNode?)Json, static (node, part) =>
        node is JsonArray array && int.TryParse(part, out var index) ? array[index] : node?[part]);

    public override string ToString() => Text;
}

/// <summary>Reads rendered manifests: as JSON trees for the invariants, and strictly into the Kubernetes model types.</summary>
public static partial class Manifests
{
    /// <summary>Every document of a multi-document YAML text.</summary>
    public static IReadOnlyList<Manifest> Parse(string yaml) =>
        DocumentSeparator().Split(yaml)
            .Where(static text => !string.IsNullOrWhiteSpace(text))
            .Select(static text =>
            {
                var stream = new YamlStream();
                stream.Load(new StringReader(text));
                return stream.Documents.Count == 1 && stream.Documents[0].RootNode is YamlMappingNode root ? new Manifest(text, (JsonObject)ToJson(root)!) : null;
            })
            .OfType<Manifest>()
            .ToList();

    /// <summary>
    /// Reads a manifest into its Kubernetes model type with unknown fields refused, as the API server's strict field
    /// validation would. Kinds the client has no model for (PrometheusRule) are only parsed: <c>false</c>.
    /// </summary>
    public static bool IsStrictlyValid(Manifest manifest)
    {
        if (manifest.Kind == "PrometheusRule")
        {
            return false;
        }

        var objects = KubernetesYaml.LoadAllFromString(manifest.Text, strict: true);
        Assert.Single(objects);
        return true;
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(static c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, ToJson(c.Value)))),
        YamlSequenceNode list => new JsonArray(list.Children.Select(ToJson).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => null,
    };

    // Plain scalars as Kubernetes reads them: integers and booleans unquoted; anything quoted stays text.
    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is YamlDotNet.Core.ScalarStyle.DoubleQuoted or YamlDotNet.Core.ScalarStyle.SingleQuoted)
        {
            return JsonValue.Create(text);
        }

        if (text is "null" or "~" or "")
        {
            return null;
        }

        if (text is "true" or "false")
        {
            return JsonValue.Create(text == "true");
        }

        return long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var number)
            ? JsonValue.Create(number)
            : JsonValue.Create(text);
    }

    [GeneratedRegex(@"^---\s*$", RegexOptions.Multiline)]
    private static partial Regex DocumentSeparator();
}
