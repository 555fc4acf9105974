using System.Collections.Immutable;
using System.Composition;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Text;
using Stepwise.Analyzers.Sql;

namespace Stepwise.Analyzers.CodeFixes;

/// <summary>
/// Makes <c>CREATE TABLE</c> and <c>CREATE INDEX name</c> safe to run again (SW2013): <c>IF NOT EXISTS</c> after the
/// statement's keywords. Not offered for an unnamed index (the clause needs a name) or a concurrent build (where it would
/// keep an invalid index from a failed run; SW2037 says what to do instead), nor where the source does not read as the SQL.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddIfNotExistsCodeFixProvider)), Shared]
public sealed class AddIfNotExistsCodeFixProvider : CodeFixProvider
{
    private const string EquivalenceKey = "AddIfNotExists";

    // The diagnostic covers CREATE [modifiers] TABLE or CREATE [UNIQUE] INDEX, as written.
    private static readonly Regex Keywords = new(@"\ACREATE\s(?:[A-Z\s]*\s)?(?:TABLE|INDEX)\z", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.NotIdempotent);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var text = await context.Document.GetTextAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in context.Diagnostics)
        {
            if (diagnostic.Properties.TryGetValue(PostgresSqlAnalyzer.FixProperty, out var fix) && fix == PostgresSqlAnalyzer.IfNotExistsFix &&
                diagnostic.Location.IsInSource && Keywords.IsMatch(text.ToString(diagnostic.Location.SourceSpan)))
            {
                var change = new TextChange(new TextSpan(diagnostic.Location.SourceSpan.End, 0), " IF NOT EXISTS");
                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Add IF NOT EXISTS: a run after a failed one finds what the first created",
                        ct => Task.FromResult(context.Document.WithText(text.WithChanges(change))),
                        EquivalenceKey),
                    diagnostic);
            }
        }
    }
}
