using System.Collections.Immutable;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Text;
using Stepwise.Analyzers.Sql;

namespace Stepwise.Analyzers.CodeFixes;

/// <summary>
/// A fix that edits the SQL where the diagnostic points, inside the string literal: offered only when the analyzer marks
/// the diagnostic with this fix (<see cref="PostgresSqlAnalyzer.FixProperty"/>) and the source there reads as the SQL.
/// </summary>
public abstract class SqlEditCodeFixProvider : CodeFixProvider
{
    private readonly string _fix;
    private readonly string _title;
    private readonly string _equivalenceKey;

    /// <param name="ruleId">The rule fixed.</param>
    /// <param name="fix">The analyzer's name for the fix (a value of <see cref="PostgresSqlAnalyzer.FixProperty"/>).</param>
    /// <param name="title">What the fix does, as the editor lists it.</param>
    /// <param name="equivalenceKey">The fix's key, for fixing all.</param>
    protected SqlEditCodeFixProvider(string ruleId, string fix, string title, string equivalenceKey)
    {
        FixableDiagnosticIds = ImmutableArray.Create(ruleId);
        (_fix, _title, _equivalenceKey) = (fix, title, equivalenceKey);
    }

    /// <inheritdoc />
    public sealed override ImmutableArray<string> FixableDiagnosticIds { get; }

    /// <inheritdoc />
    public sealed override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var text = await context.Document.GetTextAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in context.Diagnostics)
        {
            if (diagnostic.Properties.TryGetValue(PostgresSqlAnalyzer.FixProperty, out var fix) && fix == _fix &&
                diagnostic.Location.IsInSource && Change(text, diagnostic.Location.SourceSpan) is { } change)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(_title, ct => Task.FromResult(context.Document.WithText(text.WithChanges(change))), _equivalenceKey),
                    diagnostic);
            }
        }
    }

    /// <summary>The edit of the source at <paramref name="span"/> (the diagnostic's); null when the source there does not read as the SQL.</summary>
    protected abstract TextChange? Change(SourceText text, TextSpan span);
}
