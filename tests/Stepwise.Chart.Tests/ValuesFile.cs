using System.Text.Json.Nodes;

namespace Stepwise.Chart.Tests;

/// <summary>A values file written for one render (JSON is YAML), deleted after it.</summary>
public sealed class ValuesFile : IDisposable
{
    public ValuesFile(JsonObject values)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"stepwise-values-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(Path, values.ToJsonString());
    }

    public string Path { get; }

    public static ValuesFile Minimal(params (string Path, object? Value)[] more) => new(JobInvariants.Values(
    [
        ("image.repository", "registry.example.test/shop/migrations"),
        ("project", "e-commerce-api"),
        ("connection.existingSecret", "shop-db"),
        .. more,
    ]));

    public void Dispose() => File.Delete(Path);
}
