// Compiled into both Stepwise.Core (the runner) and Stepwise.Analyzers (the build-time rules, netstandard2.0): what the
// build checks and what the runner enforces come from this one file, so they cannot drift apart. Plain C# only, nothing
// beyond netstandard2.0.
using System;

namespace Stepwise.Rules;

/// <summary>The rules the build and the runner share.</summary>
internal static class SharedRules
{
    /// <summary>
    /// The project's configuration file: the AdditionalFile the build reads and the embedded resource the runner reads.
    /// One name, so that a file the build obeys is never one the runner ignores.
    /// </summary>
    public const string ConfigFileName = "project-config.yaml";

    /// <summary><c>require_rollback</c> when the file does not set it: <c>[Irreversible]</c> may waive a rollback.</summary>
    public const bool DefaultRequireRollback = false;

    /// <summary><c>require_validation</c> when the file does not set it (or there is no file): every migration proves it worked.</summary>
    public const bool DefaultRequireValidation = true;

    /// <summary>The longest project name: it keys the database's records and names Kubernetes objects (63-character labels).</summary>
    public const int MaxProjectNameLength = 63;

    /// <summary>The phases of the upgrade path, in the order they run.</summary>
    public static readonly string[] UpgradePhases = ["PreUpgrade", "SchemaChanges", "DataMigration", "PostUpgrade"];

    /// <summary>The phases of the new-install path, in the order they run.</summary>
    public static readonly string[] NewInstallPhases = ["Schema", "Data", "Indexes"];

    /// <summary>The phase of an upgrade migration that names none.</summary>
    public const string DefaultUpgradePhase = "SchemaChanges";

    /// <summary>The phase of a new-install migration that names none.</summary>
    public const string DefaultNewInstallPhase = "Schema";

    /// <summary>
    /// A project name: lower-case letters and digits in words separated by one '-', '_' or '.', at most
    /// <see cref="MaxProjectNameLength"/> characters (e.g. <c>e-commerce-api</c>).
    /// </summary>
    public static bool IsValidProjectName(string? name)
    {
        if (name is null || name.Length == 0 || name.Length > MaxProjectNameLength)
        {
            return false;
        }

        var previousWasSeparator = true;
        foreach (var c in name)
        {
            var isSeparator = c is '-' or '_' or '.';
            if (isSeparator ? previousWasSeparator : c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9')))
            {
                return false;
            }

            previousWasSeparator = isSeparator;
        }

        return !previousWasSeparator;
    }

    /// <summary>
    /// A policy flag as YAML 1.2 writes a boolean: <c>true</c> or <c>false</c> in any case. Anything else (<c>yes</c>,
    /// <c>on</c>, a number) is not a flag: the runner reports it, and the build keeps the default.
    /// </summary>
    public static bool TryParseFlag(string? text, out bool value)
    {
        value = string.Equals(text, "true", StringComparison.OrdinalIgnoreCase);
        return value || string.Equals(text, "false", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The phase a migration runs in: its own, or its path's default when it names none; <c>null</c> when the path has no such phase.</summary>
    /// <param name="newInstall">Whether the migration is on the new-install path.</param>
    /// <param name="phase">The phase's name as <c>MigrationPhase</c> spells it; <c>Default</c> for none.</param>
    public static string? ResolvePhase(bool newInstall, string phase)
    {
        if (phase == "Default")
        {
            return newInstall ? DefaultNewInstallPhase : DefaultUpgradePhase;
        }

        return Array.IndexOf(newInstall ? NewInstallPhases : UpgradePhases, phase) >= 0 ? phase : null;
    }
}
