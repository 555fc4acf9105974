using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Stepwise.Rules;

namespace Stepwise.Analyzers.Policy;

/// <summary>
/// The migration policies of <c>project-config.yaml</c> (<c>spec.migration.policies</c>), given to the compiler as an
/// AdditionalFile. Without the file, the shared defaults hold (<see cref="SharedRules"/>): rollbacks may be waived with
/// [Irreversible], and validation is required.
/// </summary>
internal sealed class ProjectPolicy
{
    public static readonly ProjectPolicy Default = new(SharedRules.DefaultRequireRollback, SharedRules.DefaultRequireValidation);

    public ProjectPolicy(bool requireRollback, bool requireValidation, IReadOnlyCollection<string>? matrixVersions = null, bool hasLockTimeout = false)
    {
        HasLockTimeout = hasLockTimeout;
        RequireRollback = requireRollback;
        RequireValidation = requireValidation;
        MatrixVersions = matrixVersions;
    }

    /// <summary>
    /// The versions <c>spec.compatibility_matrix</c> has an entry for, normalized (no 'v'); <c>null</c> when the file has
    /// no matrix (versions then follow semver order, and any version is fine).
    /// </summary>
    public IReadOnlyCollection<string>? MatrixVersions { get; }

    /// <summary><c>lock_timeout</c> is set (and not 0): the runner bounds every step's lock waits.</summary>
    public bool HasLockTimeout { get; }

    /// <summary><c>require_rollback: true</c>: [Irreversible] is refused; every migration has a real Down.</summary>
    public bool RequireRollback { get; }

    /// <summary><c>require_validation</c> (default true): every migration has a real Validate; <c>false</c> waives it project-wide.</summary>
    public bool RequireValidation { get; }

    public static ProjectPolicy From(ImmutableArray<AdditionalText> additionalFiles, CancellationToken cancellationToken)
    {
        AdditionalText? config = null;
        foreach (var file in additionalFiles)
        {
            var name = Path.GetFileName(file.Path);
            // The name the runner embeds and reads, exactly: a file the build obeys is never one the runner ignores.
            if (string.Equals(name, SharedRules.ConfigFileName, StringComparison.Ordinal) &&
                (config is null || string.CompareOrdinal(file.Path, config.Path) < 0))
            {
                config = file;
            }
        }

        var text = config?.GetText(cancellationToken)?.ToString();
        return text is null ? Default : Parse(text);
    }

    public static ProjectPolicy Parse(string yaml)
    {
        var document = SimpleYaml.Parse(yaml);
        var policies = SimpleYaml.Find(document, "spec", "migration", "policies") as IReadOnlyDictionary<string, object?>;
        var matrix = SimpleYaml.Find(document, "spec", "compatibility_matrix") as IReadOnlyDictionary<string, object?>;
        return new ProjectPolicy(
            Flag(policies, "require_rollback") ?? Default.RequireRollback,
            Flag(policies, "require_validation") ?? Default.RequireValidation,
            matrix?.Keys.Select(SemanticVersion.Normalize).OfType<string>().ToList(),
            policies is not null && policies.TryGetValue(SharedRules.LockTimeoutPolicy, out var timeout) && timeout is string text &&
                SharedRules.TryParseLockTimeout(text, out var value) && value > TimeSpan.Zero);
    }

    private static bool? Flag(IReadOnlyDictionary<string, object?>? policies, string key) =>
        policies is not null && policies.TryGetValue(key, out var value) && value is string text && SharedRules.TryParseFlag(text, out var flag) ? flag : null;
}
