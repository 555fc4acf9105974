using System.Composition;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
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
public sealed class AddIfNotExistsCodeFixProvider() : SqlEditCodeFixProvider(
    RuleIdentifiers.NotIdempotent, PostgresSqlAnalyzer.IfNotExistsFix, "Add IF NOT EXISTS: a run after a failed one finds what the first created", "AddIfNotExists")
{
    // The diagnostic covers CREATE [modifiers] TABLE or CREATE [UNIQUE] INDEX, as written.
    private static readonly Regex Keywords = new(@"\ACREATE\s(?:[A-Z\s]*\s)?(?:TABLE|INDEX)\z", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <inheritdoc />
    protected override TextChange? Change(SourceText text, TextSpan span) =>
        Keywords.IsMatch(text.ToString(span)) ? new TextChange(new TextSpan(span.End, 0), " IF NOT EXISTS") : null;
}
