using Semver;
using Stepwise.Catalog;
using Stepwise.Versioning;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Stepwise.Configuration;

/// <summary>
/// Reads <c>project-config.yaml</c> (the original design's format) and reports every problem at once, each with the
/// file, line, key and what to do. Bad YAML is an error message, never a stack trace.
/// </summary>
public static partial class ProjectConfigReader
{
    /// <summary>Reads a configuration file.</summary>
    /// <exception cref="StepwiseException">The file is missing or invalid (kind <see cref="FailureKind.Usage"/>).</exception>
    public static ProjectConfig ReadFile(string path) => ReadFile(path, migrations: null);

    /// <summary>Reads a configuration file and checks it against the project's migrations, in one pass.</summary>
    /// <exception cref="StepwiseException">The file is missing, invalid or does not match (kind <see cref="FailureKind.Usage"/>).</exception>
    public static ProjectConfig ReadFile(string path, ProjectCatalog? migrations)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new StepwiseException(FailureKind.Usage, $"--config {EchoedInput.Show(path)}: no such file.");
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StepwiseException(FailureKind.Usage, $"--config {EchoedInput.Show(path)}: cannot be read ({ex.GetType().Name}). Check the file's permissions.");
        }

        return Read(text, path, migrations);
    }

    /// <summary>Reads configuration text; <paramref name="source"/> names it in messages.</summary>
    /// <exception cref="StepwiseException">The text is invalid (kind <see cref="FailureKind.Usage"/>).</exception>
    public static ProjectConfig Read(string yaml, string source) => Read(yaml, source, migrations: null);

    /// <summary>
    /// Reads configuration text and checks it against the project's migrations, reporting every problem of both kinds in
    /// one pass: a team fixing the file sees all that is wrong with it at once.
    /// </summary>
    /// <exception cref="StepwiseException">The text is invalid or does not match the migrations (kind <see cref="FailureKind.Usage"/>).</exception>
    public static ProjectConfig Read(string yaml, string source, ProjectCatalog? migrations)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var errors = new Errors(source);
        YamlMappingNode? root = null;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            root = stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode as YamlMappingNode;
            if (root is null)
            {
                errors.Add(null, "the file must be a YAML mapping with apiVersion, kind, metadata and spec");
            }
        }
        catch (YamlException ex)
        {
            errors.Add(ex.Start, $"not valid YAML: {ex.Message}");
        }
        catch (InvalidOperationException)
        {
            // Some unclosed flow collections make the loader fail without a position: the parser's last event has it.
            errors.Add(LastParsedMark(yaml), "not valid YAML: a flow mapping or sequence ({ or [) is not closed before the text that follows it");
        }

        errors.ThrowIfAny();
        var config = ReadRoot(root!, source, errors);
        if (migrations is not null)
        {
            errors.AddRange(ProjectConfigValidator.Problems(config, migrations));
        }

        errors.ThrowIfAny();
        return config;
    }

    private static Mark? LastParsedMark(string yaml)
    {
        var parser = new Parser(new StringReader(yaml));
        Mark? last = null;
        try
        {
            while (parser.MoveNext())
            {
                last = parser.Current?.End ?? last;
            }
        }
        catch (Exception ex) when (ex is YamlException or InvalidOperationException)
        {
            return ex is YamlException located ? located.Start : last;
        }

        return last;
    }

    private static ProjectConfig ReadRoot(YamlMappingNode root, string source, Errors errors)
    {
        var keys = Keys(root, "", errors, "apiVersion", "kind", "metadata", "spec");
        Expect(keys, "apiVersion", "v1", errors);
        Expect(keys, "kind", "ProjectConfig", errors);

        string name = "";
        string? description = null;
        var locations = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Mapping(keys, "metadata", "", errors, required: true) is { } metadata)
        {
            var meta = Keys(metadata, "metadata", errors, "name", "description", "labels", "annotations");
            name = Scalar(meta, "name", "metadata", errors, required: true) ?? "";
            description = Scalar(meta, "description", "metadata", errors);
            if (meta.TryGetValue("name", out var nameNode))
            {
                locations["metadata.name"] = errors.At(nameNode.Start);
            }
        }

        var config = new ProjectConfig { Source = source, Name = name, Description = description, Locations = locations };
        if (Mapping(keys, "spec", "", errors, required: true) is not { } spec)
        {
            return config;
        }

        var specKeys = Keys(spec, "spec", errors, "databases", "migration", "requires", "compatibility_matrix", "environments");
        return config with
        {
            Databases = ReadDatabases(Mapping(specKeys, "databases", "spec", errors), errors),
            Policies = ReadPolicies(Mapping(specKeys, "migration", "spec", errors), errors),
            Requires = ReadRequires(Mapping(specKeys, "requires", "spec", errors), errors, out var requiresText),
            RequiresText = requiresText,
            Matrix = ReadMatrix(Mapping(specKeys, "compatibility_matrix", "spec", errors), errors, locations),
            Environments = ReadEnvironments(Mapping(specKeys, "environments", "spec", errors), source, errors),
        };
    }

    private static readonly Dictionary<string, TlsRequirement> TlsNames = new(StringComparer.Ordinal)
    {
        ["none"] = TlsRequirement.None,
        ["require"] = TlsRequirement.Encrypted,
        ["verify-ca"] = TlsRequirement.VerifyAuthority,
        ["verify-full"] = TlsRequirement.VerifyFull,
    };

    private static Dictionary<string, EnvironmentProfile> ReadEnvironments(YamlMappingNode? environments, string source, Errors errors)
    {
        var result = new Dictionary<string, EnvironmentProfile>(StringComparer.Ordinal);
        if (environments is null)
        {
            return result;
        }

        foreach (var (keyNode, valueNode) in environments.Children)
        {
            var name = ((YamlScalarNode)keyNode).Value ?? "";
            var path = $"spec.environments.{EchoedInput.Show(name)}";
            if (valueNode is not YamlMappingNode profile)
            {
                errors.Add(valueNode.Start, $"{path} must be a mapping, e.g. {{ require_tls: verify-full }}");
                continue;
            }

            var keys = Keys(profile, path, errors, "require_tls");
            var tls = Scalar(keys, "require_tls", path, errors);
            var requirement = TlsRequirement.None;
            if (tls is not null && !TlsNames.TryGetValue(tls, out requirement))
            {
                errors.Add(keys["require_tls"].Start, $"{path}.require_tls '{EchoedInput.Show(tls)}' is not one of {string.Join(", ", TlsNames.Keys)}");
            }

            result[name] = new EnvironmentProfile(requirement, $"{path}.require_tls in {source}");
        }

        return result;
    }

    private static Dictionary<string, DatabaseConfig> ReadDatabases(YamlMappingNode? databases, Errors errors)
    {
        var result = new Dictionary<string, DatabaseConfig>(StringComparer.Ordinal);
        if (databases is null)
        {
            return result;
        }

        foreach (var (keyNode, valueNode) in databases.Children)
        {
            var logical = ((YamlScalarNode)keyNode).Value ?? "";
            var path = $"spec.databases.{logical}";
            if (valueNode is not YamlMappingNode database)
            {
                errors.Add(valueNode.Start, $"{path} must be a mapping with type, name and schemas");
                continue;
            }

            var keys = Keys(database, path, errors, "type", "name", "schemas");
            var type = Scalar(keys, "type", path, errors, required: true);
            if (type is not null && !Execution.KnownEngines.Types.Contains(type))
            {
                errors.Add(keys["type"].Start, $"{path}.type '{EchoedInput.Show(type)}' is not a database type Stepwise knows; use {string.Join(" or ", Execution.KnownEngines.Types)}");
            }

            result[logical] = new DatabaseConfig(type ?? "", Scalar(keys, "name", path, errors), List(keys, "schemas", path, errors));
        }

        return result;
    }

    private static MigrationPolicies ReadPolicies(YamlMappingNode? migration, Errors errors)
    {
        if (migration is null)
        {
            return new MigrationPolicies();
        }

        var keys = Keys(migration, "spec.migration", errors, "policies");
        if (Mapping(keys, "policies", "spec.migration", errors) is not { } policies)
        {
            return new MigrationPolicies();
        }

        const string path = "spec.migration.policies";
        var known = Keys(policies, path, errors, "require_rollback", "require_validation", "dry_run_first", "backup_before_upgrade", Rules.SharedRules.LockTimeoutPolicy);
        return new MigrationPolicies
        {
            RequireRollback = Bool(known, "require_rollback", path, errors, Rules.SharedRules.DefaultRequireRollback),
            RequireValidation = Bool(known, "require_validation", path, errors, Rules.SharedRules.DefaultRequireValidation),
            DryRunFirst = Bool(known, "dry_run_first", path, errors, false),
            BackupBeforeUpgrade = Bool(known, "backup_before_upgrade", path, errors, false),
            LockTimeout = LockTimeout(known, path, errors),
        };
    }

    private static Dictionary<string, SemVersionRange> ReadRequires(YamlMappingNode? requires, Errors errors, out IReadOnlyDictionary<string, string> texts)
    {
        var result = new Dictionary<string, SemVersionRange>(StringComparer.Ordinal);
        var written = new Dictionary<string, string>(StringComparer.Ordinal);
        texts = written;
        if (requires is null)
        {
            return result;
        }

        foreach (var (keyNode, valueNode) in requires.Children)
        {
            var project = ((YamlScalarNode)keyNode).Value ?? "";
            var text = (valueNode as YamlScalarNode)?.Value;
            if (!Catalog.MigrationDiscovery.IsValidProjectName(project))
            {
                errors.Add(keyNode.Start, $"spec.requires: '{EchoedInput.Show(project)}' is not a project name (lower-case letters, digits, '-', '_' or '.')");
            }
            else if (text is null || !SemVersionRange.TryParseNpm(LeadingV().Replace(text, ""), out var range))
            {
                errors.Add(valueNode.Start, $"spec.requires.{EchoedInput.Show(project)}: '{EchoedInput.Show(text)}' is not a version range; write e.g. \">=1.2.0\" or \">=1.2.0 <2.0.0\"");
            }
            else
            {
                result[project] = range;
                written[project] = text;
            }
        }

        return result;
    }

    private static VersionGraph? ReadMatrix(YamlMappingNode? matrix, Errors errors, Dictionary<string, string> locations)
    {
        if (matrix is null)
        {
            return null;
        }

        // A missing entry is added after the last one: the message points at the mapping's last line written.
        locations["spec.compatibility_matrix"] = errors.At(matrix.Children.Count > 0 ? matrix.Children.Last().Key.Start : matrix.Start);

        var entries = new List<(ProjectVersion Version, YamlMappingNode? Node, Mark Start)>();
        foreach (var (keyNode, valueNode) in matrix.Children)
        {
            var text = ((YamlScalarNode)keyNode).Value;
            if (!ProjectVersion.TryParse(text, out var version, out var error))
            {
                errors.Add(keyNode.Start, $"spec.compatibility_matrix: {error}");
                continue;
            }

            if (entries.Any(e => e.Version == version))
            {
                errors.Add(keyNode.Start, $"spec.compatibility_matrix: {version} is listed twice");
                continue;
            }

            entries.Add((version, valueNode as YamlMappingNode, keyNode.Start));
            locations[$"spec.compatibility_matrix.v{version}"] = errors.At(keyNode.Start);
            if (valueNode is not YamlMappingNode && !(valueNode is YamlScalarNode { Value: null or "" }))
            {
                errors.Add(valueNode.Start, $"spec.compatibility_matrix.{text} must be a mapping with upgrades_to and rollback_to");
            }
        }

        var known = entries.Select(static e => e.Version).ToHashSet();
        var upgrades = new Dictionary<ProjectVersion, IReadOnlyList<ProjectVersion>>();
        var rollbacks = new Dictionary<ProjectVersion, IReadOnlyList<ProjectVersion>>();
        foreach (var (version, node, _) in entries)
        {
            var path = $"spec.compatibility_matrix.v{version}";
            var keys = node is null ? new Dictionary<string, YamlNode>() : Keys(node, path, errors, "upgrades_to", "rollback_to");
            upgrades[version] = Targets(keys, "upgrades_to", path, version, known, up: true, errors);
            rollbacks[version] = Targets(keys, "rollback_to", path, version, known, up: false, errors);
        }

        return new VersionGraph(known, upgrades, rollbacks, isExplicit: true);
    }

    private static List<ProjectVersion> Targets(Dictionary<string, YamlNode> keys, string key, string path, ProjectVersion source,
        HashSet<ProjectVersion> known, bool up, Errors errors)
    {
        var targets = new List<ProjectVersion>();
        if (!keys.TryGetValue(key, out var node))
        {
            return targets;
        }

        if (node is not YamlSequenceNode sequence)
        {
            errors.Add(node.Start, $"{path}.{key} must be a list of versions, e.g. [\"v1.1.0\"]");
            return targets;
        }

        foreach (var item in sequence.Children)
        {
            var text = (item as YamlScalarNode)?.Value;
            if (!ProjectVersion.TryParse(text, out var target, out var error))
            {
                errors.Add(item.Start, $"{path}.{key}: {error}");
            }
            else if (!known.Contains(target))
            {
                errors.Add(item.Start, $"{path}.{key}: {target} has no entry in the compatibility matrix; add it");
            }
            else if (up ? target <= source : target >= source)
            {
                // Upgrades only go up and rollbacks only go down, which also rules out cycles.
                errors.Add(item.Start, up
                    ? $"{path}.upgrades_to: {target} is not above {source}; an upgrade goes to a higher version (a cycle is not allowed)"
                    : $"{path}.rollback_to: {target} is not below {source}; a rollback goes to a lower version");
            }
            else
            {
                targets.Add(target);
            }
        }

        return targets;
    }

    // "v1.2.0" is allowed in ranges as everywhere else; the npm range syntax wants "1.2.0".
    [System.Text.RegularExpressions.GeneratedRegex("(?<![0-9A-Za-z])v(?=[0-9])")]
    private static partial System.Text.RegularExpressions.Regex LeadingV();
}
