using Microsoft.CodeAnalysis;

namespace Stepwise.Analyzers;

/// <summary>The descriptor of every Stepwise rule. The SW1xxx and SW2xxx ranges live in their own partial files.</summary>
internal static partial class Descriptors
{
    /// <summary>
    /// Where a rule's page lives: the repository's web address when the build knew it (MSBuild property
    /// <c>StepwiseRepositoryUrl</c>, set in GitHub Actions), else the page's path in the repository. A test checks that
    /// each link names an existing page.
    /// </summary>
    // Read on first use, not in a field initializer: the descriptors in the other partial files are initialized in an
    // order C# leaves open across files, and may come first.
    public static string HelpLinkBase => s_helpLinkBase ??= HelpLinkBaseOf(typeof(Descriptors).Assembly);

    private static string? s_helpLinkBase;

    internal static string HelpLinkBaseOf(System.Reflection.Assembly assembly)
    {
        foreach (var metadata in assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), inherit: false))
        {
            if (metadata is System.Reflection.AssemblyMetadataAttribute { Key: "StepwiseRulesHelp", Value: { Length: > 0 } value })
            {
                return value;
            }
        }

        return "docs/rules/";
    }

    public static string HelpLink(string id) => HelpLinkBase + id + ".md";

    private static DiagnosticDescriptor Rule(
        string id, string category, DiagnosticSeverity severity, string title, string message, string description, params string[] customTags) =>
        new(id, title, message, category, severity, isEnabledByDefault: true, description, HelpLink(id), customTags);

    /// <summary>A suggestion a team turns on in <c>.editorconfig</c>: schema hygiene, not a production hazard.</summary>
    private static DiagnosticDescriptor OptInSuggestion(string id, string category, string title, string message, string description) =>
        new(id, title, message, category, DiagnosticSeverity.Info, isEnabledByDefault: false, description, HelpLink(id));
}
