namespace Stepwise.PostgreSql.Tests.Cli;

/// <summary>A project-config.yaml written for one test and deleted after it.</summary>
public sealed class ConfigFile : IDisposable
{
    public ConfigFile(string yaml)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"stepwise-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(Path, yaml);
    }

    public string Path { get; }

    /// <summary>A ledger configuration with the given policies, spec.requires and spec.databases entries (YAML flow mappings' insides).</summary>
    public static ConfigFile Ledger(string policies = "", string requires = "", string databases = "") => new(
        $$"""
        apiVersion: v1
        kind: ProjectConfig
        metadata: { name: ledger }
        spec:
          databases: { {{databases}} }
          migration:
            policies: { {{policies}} }
          requires: { {{requires}} }
        """);

    public void Dispose() => File.Delete(Path);
}
