using System.Diagnostics.CodeAnalysis;
using Semver;

namespace Stepwise.Versioning;

/// <summary>
/// A project version: a semantic version, written with or without a leading <c>v</c> (<c>v1.1.0</c> == <c>1.1.0</c>).
/// </summary>
/// <remarks>Ordered by semver precedence; build metadata is not allowed, because two builds of a version are the same schema.</remarks>
public sealed class ProjectVersion : IComparable<ProjectVersion>, IEquatable<ProjectVersion>
{
    private readonly SemVersion _version;
    private string? _text;

    private ProjectVersion(SemVersion version) => _version = version;

    /// <summary>The canonical form, without <c>v</c>: <c>1.1.0</c>.</summary>
    public override string ToString() => _text ??= _version.ToString();

    /// <summary>Parses a version, or explains what is wrong with it.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out ProjectVersion? version, [NotNullWhen(false)] out string? error)
    {
        version = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "a version is required (semantic version such as 1.2.0 or v1.2.0)";
            return false;
        }

        if (!SemVersion.TryParse(text.Trim(), SemVersionStyles.AllowV, out var parsed))
        {
            error = $"'{EchoedInput.Show(text)}' is not a semantic version (expected MAJOR.MINOR.PATCH such as 1.2.0 or v1.2.0)";
            return false;
        }

        if (parsed.MetadataIdentifiers.Count > 0)
        {
            error = $"'{EchoedInput.Show(text)}' has build metadata ('+{EchoedInput.Show(parsed.Metadata)}'); a project version may not carry it";
            return false;
        }

        version = new ProjectVersion(parsed);
        error = null;
        return true;
    }

    /// <summary>Parses a version; throws <see cref="FormatException"/> naming the problem.</summary>
    public static ProjectVersion Parse(string text) =>
        TryParse(text, out var version, out var error) ? version : throw new FormatException(error);

    /// <inheritdoc />
    public int CompareTo(ProjectVersion? other) => other is null ? 1 : _version.ComparePrecedenceTo(other._version);

    /// <inheritdoc />
    public bool Equals(ProjectVersion? other) => other is not null && _version.PrecedenceEquals(other._version);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ProjectVersion other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _version.GetHashCode();

#pragma warning disable CS1591 // Operators mean what they say.
    public static bool operator ==(ProjectVersion? left, ProjectVersion? right) => left is null ? right is null : left.Equals(right);
    public static bool operator !=(ProjectVersion? left, ProjectVersion? right) => !(left == right);
    public static bool operator <(ProjectVersion left, ProjectVersion right) => left.CompareTo(right) < 0;
    public static bool operator <=(ProjectVersion left, ProjectVersion right) => left.CompareTo(right) <= 0;
    public static bool operator >(ProjectVersion left, ProjectVersion right) => left.CompareTo(right) > 0;
    public static bool operator >=(ProjectVersion left, ProjectVersion right) => left.CompareTo(right) >= 0;
#pragma warning restore CS1591
}
