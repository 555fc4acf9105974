using System.Composition;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
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
public sealed class SetLocalCodeFixProvider() : SqlEditCodeFixProvider(
    RuleIdentifiers.SessionSettingOutlivesStep, PostgresSqlAnalyzer.SetLocalFix, "Use SET LOCAL: the setting ends with the step's transaction", "SetLocal")
{
    // SET, then SESSION unless it starts SESSION AUTHORIZATION (SET SESSION SESSION AUTHORIZATION is the long form).
    private static readonly Regex SetKeyword = new(
        @"\ASET(?<session>\s+SESSION(?!\s+AUTHORIZATION\b))?\s", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    // The source at the diagnostic must read SET as the SQL does: an escape sequence or a piece of an expression there
    // means the text is not the statement itself.
    /// <inheritdoc />
    protected override TextChange? Change(SourceText text, TextSpan span)
    {
        var match = SetKeyword.Match(text.ToString(span));
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
