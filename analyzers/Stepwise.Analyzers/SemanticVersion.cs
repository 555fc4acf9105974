using System.Collections.Generic;

namespace Stepwise.Analyzers;

/// <summary>
/// Checks and normalizes versions as the runner reads them: semantic versions 2.0 (MAJOR.MINOR.PATCH, optional
/// pre-release and build metadata), with an optional leading 'v'.
/// </summary>
internal static class SemanticVersion
{
    /// <summary>
    /// The version without its 'v' and surrounding spaces, or null when invalid. Build metadata ('+...') is invalid: the
    /// runner refuses it in a project version, since semver ignores it for identity and two versions would collide.
    /// </summary>
    public static string? Normalize(string? text)
    {
        var trimmed = text?.Trim();
        if (trimmed is null || trimmed.Length == 0 || trimmed.IndexOf('+') >= 0)
        {
            return null;
        }

        var withoutBuild = trimmed[0] is 'v' or 'V' ? trimmed.Substring(1) : trimmed;

        var dash = withoutBuild.IndexOf('-');
        var core = dash < 0 ? withoutBuild : withoutBuild.Substring(0, dash);
        if (dash >= 0 && !AreIdentifiers(withoutBuild.Substring(dash + 1), numericMustNotHaveLeadingZero: true))
        {
            return null;
        }

        var parts = core.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }

        foreach (var part in parts)
        {
            if (!IsNumber(part))
            {
                return null;
            }
        }

        return withoutBuild;
    }

    public static bool IsValid(string? text) => Normalize(text) is not null;

    /// <summary>Orders normalized versions by precedence, as the runner does (a pre-release sorts before its release).</summary>
    public static readonly IComparer<string> Comparer = Comparer<string>.Create(Compare);

    /// <summary>Compares two normalized versions by precedence.</summary>
    public static int Compare(string left, string right)
    {
        var (leftCore, leftPre) = Split(left);
        var (rightCore, rightPre) = Split(right);
        for (var i = 0; i < 3; i++)
        {
            var order = long.Parse(leftCore[i], System.Globalization.CultureInfo.InvariantCulture)
                .CompareTo(long.Parse(rightCore[i], System.Globalization.CultureInfo.InvariantCulture));
            if (order != 0)
            {
                return order;
            }
        }

        return (leftPre, rightPre) switch
        {
            (null, null) => 0,
            (null, _) => 1,
            (_, null) => -1,
            _ => ComparePreRelease(leftPre, rightPre),
        };

        static (string[] Core, string? PreRelease) Split(string version)
        {
            var dash = version.IndexOf('-');
            return dash < 0 ? (version.Split('.'), null) : (version.Substring(0, dash).Split('.'), version.Substring(dash + 1));
        }
    }

    // SemVer 2.0 §11: identifier by identifier; numbers by value and before words; a shorter list first when all agree.
    private static int ComparePreRelease(string left, string right)
    {
        var leftParts = left.Split('.');
        var rightParts = right.Split('.');
        for (var i = 0; i < System.Math.Min(leftParts.Length, rightParts.Length); i++)
        {
            var leftNumber = long.TryParse(leftParts[i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var l);
            var rightNumber = long.TryParse(rightParts[i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var r);
            var order = (leftNumber, rightNumber) switch
            {
                (true, true) => l.CompareTo(r),
                (true, false) => -1,
                (false, true) => 1,
                _ => string.CompareOrdinal(leftParts[i], rightParts[i]),
            };
            if (order != 0)
            {
                return order;
            }
        }

        return leftParts.Length.CompareTo(rightParts.Length);
    }

    private static bool IsNumber(string part)
    {
        if (part.Length == 0 || (part.Length > 1 && part[0] == '0'))
        {
            return false;
        }

        foreach (var c in part)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }

    private static bool AreIdentifiers(string text, bool numericMustNotHaveLeadingZero)
    {
        foreach (var identifier in text.Split('.'))
        {
            if (identifier.Length == 0)
            {
                return false;
            }

            var numeric = true;
            foreach (var c in identifier)
            {
                var isDigit = c is >= '0' and <= '9';
                if (!isDigit && c is not ((>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '-'))
                {
                    return false;
                }

                numeric &= isDigit;
            }

            if (numeric && numericMustNotHaveLeadingZero && identifier.Length > 1 && identifier[0] == '0')
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>Project names, as the runner checks them (<see cref="Rules.SharedRules.IsValidProjectName"/>).</summary>
internal static class ProjectName
{
    public static bool IsValid(string? name) => Rules.SharedRules.IsValidProjectName(name);
}
