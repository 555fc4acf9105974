using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Stepwise.Analyzers.Tests;

/// <summary>
/// Every rule is documented and tracked: a page under docs/rules with the four sections a team needs, a row in the
/// release-tracking files, and an ID declared in RuleIdentifiers.
/// </summary>
public sealed partial class RuleCatalogTests
{
    private static readonly string RepositoryRoot = Stepwise.Testing.RepositoryLayout.Root;

    public static TheoryData<string> RuleIds => [.. Descriptors().Select(d => d.Id)];

    [Fact]
    public void EveryIdentifier_HasExactlyOneDescriptor()
    {
        var identifiers = typeof(RuleIdentifiers).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetRawConstantValue()!).ToList();
        Assert.Equal(identifiers.Distinct().Order(), Descriptors().Select(d => d.Id).Order());
        Assert.All(identifiers, id => Assert.Matches("^SW[123][0-9]{3}$", id));
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Descriptor_LinksToItsPage_WhichHasEverySection(string id)
    {
        var descriptor = Descriptors().Single(d => d.Id == id);
        Assert.Equal(Stepwise.Analyzers.Descriptors.HelpLinkBase + id + ".md", descriptor.HelpLinkUri);
        Assert.EndsWith($"docs/rules/{id}.md", descriptor.HelpLinkUri, StringComparison.Ordinal);

        var page = Path.Combine(RepositoryRoot, "docs", "rules", id + ".md");
        Assert.True(File.Exists(page), $"{page} is missing");
        var text = File.ReadAllText(page);
        Assert.StartsWith($"# {id}: {descriptor.Title}", text, StringComparison.Ordinal);
        Assert.Contains($"| Severity | {descriptor.DefaultSeverity} |", text, StringComparison.Ordinal);
        foreach (var section in new[] { "## What", "## Why", "## How to fix", "## How to justify an exception" })
        {
            Assert.Contains(section, text, StringComparison.Ordinal);
        }

        Assert.Contains($"[{id}]({id}.md)", File.ReadAllText(Path.Combine(RepositoryRoot, "docs", "rules", "README.md")), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Descriptor_HasAReleaseTrackingRow(string id)
    {
        var descriptor = Descriptors().Single(d => d.Id == id);
        var folder = Path.Combine(RepositoryRoot, "analyzers", "Stepwise.Analyzers");
        var rows = File.ReadAllLines(Path.Combine(folder, "AnalyzerReleases.Shipped.md"))
            .Concat(File.ReadAllLines(Path.Combine(folder, "AnalyzerReleases.Unshipped.md")))
            .Select(line => TrackingRow().Match(line))
            .Where(m => m.Success && m.Groups["id"].Value == id)
            .ToList();

        var row = Assert.Single(rows);
        Assert.Equal(descriptor.Category, row.Groups["category"].Value);
        // Release tracking writes "Disabled" for a rule that is off until a team turns it on.
        Assert.Equal(descriptor.IsEnabledByDefault ? descriptor.DefaultSeverity.ToString() : "Disabled", row.Groups["severity"].Value);
    }

    [Fact]
    public void SchemaHygieneRules_AreOffUntilATeamTurnsThemOn()
    {
        var optIn = Descriptors().Where(d => !d.IsEnabledByDefault).Select(d => d.Id).Order().ToList();
        Assert.Equal(Verifiers.CSharpAnalyzerVerifier<Sql.PostgresSqlAnalyzer>.OptInRules.Order(), optIn);
        Assert.All(Descriptors().Where(d => !d.IsEnabledByDefault), d => Assert.Equal(DiagnosticSeverity.Info, d.DefaultSeverity));
    }

    [Fact]
    public void EveryPage_BelongsToARule()
    {
        var ids = Descriptors().Select(d => d.Id).ToHashSet();
        var pages = Directory.GetFiles(Path.Combine(RepositoryRoot, "docs", "rules"), "SW*.md").Select(Path.GetFileNameWithoutExtension);
        Assert.All(pages, page => Assert.Contains(page!, ids));
    }

    private static IEnumerable<DiagnosticDescriptor> Descriptors() =>
        typeof(RuleIdentifiers).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t))
            .SelectMany(t => ((DiagnosticAnalyzer)Activator.CreateInstance(t)!).SupportedDiagnostics)
            .DistinctBy(d => d.Id);

    [GeneratedRegex(@"^(?<id>SW\d{4})\s*\|\s*(?<category>[^|]+?)\s*\|\s*(?<severity>\w+)\s*\|")]
    private static partial Regex TrackingRow();
}
