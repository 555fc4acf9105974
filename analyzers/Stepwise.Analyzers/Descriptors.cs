using Microsoft.CodeAnalysis;

namespace Stepwise.Analyzers;

/// <summary>The descriptor of every Stepwise rule. The SW1xxx and SW2xxx ranges live in their own partial files.</summary>
internal static partial class Descriptors
{
    /// <summary>
    /// Where a rule's page lives, relative to the repository root. Kept relative until the project has a public
    /// documentation address; a test checks that each link names an existing page.
    /// </summary>
    public const string HelpLinkBase = "docs/rules/";

    public static string HelpLink(string id) => HelpLinkBase + id + ".md";

    private static DiagnosticDescriptor Rule(
        string id, string category, DiagnosticSeverity severity, string title, string message, string description, params string[] customTags) =>
        new(id, title, message, category, severity, isEnabledByDefault: true, description, HelpLink(id), customTags);

    /// <summary>A suggestion a team turns on in <c>.editorconfig</c>: schema hygiene, not a production hazard.</summary>
    private static DiagnosticDescriptor OptInSuggestion(string id, string category, string title, string message, string description) =>
        new(id, title, message, category, DiagnosticSeverity.Info, isEnabledByDefault: false, description, HelpLink(id));
}
