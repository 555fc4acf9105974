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

    /// <summary>The policy that bounds how long a step's statement waits for a table lock.</summary>
    public const string LockTimeoutPolicy = "lock_timeout";

    /// <summary>The longest <c>lock_timeout</c> accepted: a wait longer than this is an outage, not a timeout.</summary>
    public static readonly TimeSpan MaxLockTimeout = TimeSpan.FromMinutes(10);

    /// <summary>
    /// A <c>lock_timeout</c> as written in <c>project-config.yaml</c>: a whole number with <c>ms</c>, <c>s</c> or
    /// <c>min</c> (<c>500ms</c>, <c>5s</c>, <c>1min</c>), or <c>0</c> for none; at most <see cref="MaxLockTimeout"/>.
    /// The units are PostgreSQL's, so the value reads as the server's setting does.
    /// </summary>
    public static bool TryParseLockTimeout(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        if (text == "0")
        {
            return true;
        }

        var digits = 0;
        while (digits < text!.Length && text[digits] >= '0' && text[digits] <= '9')
        {
            digits++;
        }

        if (digits == 0 || digits > 9 || !int.TryParse(text.Substring(0, digits), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var amount))
        {
            return false;
        }

        switch (text.Substring(digits))
        {
            case "ms":
                value = TimeSpan.FromMilliseconds(amount);
                break;
            case "s":
                value = TimeSpan.FromSeconds(amount);
                break;
            case "min":
                value = TimeSpan.FromMinutes(amount);
                break;
            default:
                return false;
        }

        return value <= MaxLockTimeout;
    }
}
