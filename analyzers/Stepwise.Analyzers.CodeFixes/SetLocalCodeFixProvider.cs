using System.Collections.Immutable;
using System.Composition;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Text;
using Stepwise.Analyzers.Sql;

namespace Stepwise.Analyzers.CodeFixes;

/// <summary>
/// Makes a session setting end with the step's transaction (SW2034): <c>SET x = y</c> becomes <c>SET LOCAL x = y</c>,
/// <c>SET SESSION …</c> becomes <c>SET LOCAL …</c>. Offered only in a transactional migration (the analyzer says so),
/// and only where the statement is written as it is in the source: SQL built from pieces is left to the author.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SetLocalCodeFixProvider)), Shared]
public sealed class SetLocalCodeFixProvider : CodeFixProvider
{
    private const string EquivalenceKey = "SetLocal";

    // SET, then SESSION unless it starts SESSION AUTHORIZATION (SET SESSION SESSION AUTHORIZATION is the long form).
    private static readonly Regex SetKeyword = new(
        @"\ASET(?<session>\s+SESSION(?!\s+AUTHORIZATION\b))?\s", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.SessionSettingOutlivesStep);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var text = await context.Document.GetTextAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in context.Diagnostics)
        {
            if (diagnostic.Properties.TryGetValue(PostgresSqlAnalyzer.FixProperty, out var fix) && fix == PostgresSqlAnalyzer.SetLocalFix &&
                diagnostic.Location.IsInSource && Change(text, diagnostic.Location.SourceSpan) is { } change)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Use SET LOCAL: the setting ends with the step's transaction",
                        ct => Task.FromResult(context.Document.WithText(text.WithChanges(change))),
                        EquivalenceKey),
                    diagnostic);
            }
        }
    }

    // The source at the diagnostic must read SET as the SQL does: an escape sequence or a piece of an expression there
    // means the text is not the statement itself.
    private static TextChange? Change(SourceText text, TextSpan span)
    {
        var written = text.ToString(span);
        var match = SetKeyword.Match(written);
        if (!match.Success)
        {
            return null;
        }

        var session = match.Groups["session"];
        return session.Success
            ? new TextChange(new TextSpan(span.Start + session.Index, session.Length), " LOCAL")
            : new TextChange(new TextSpan(span.Start + 3, 0), " LOCAL");
    }
}
