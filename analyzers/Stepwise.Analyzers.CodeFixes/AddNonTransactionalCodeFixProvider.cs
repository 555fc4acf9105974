using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;
using Stepwise.Analyzers.Sql;

namespace Stepwise.Analyzers.CodeFixes;

/// <summary>
/// Marks a migration <c>[NonTransactional("…")]</c> when its SQL holds a statement PostgreSQL refuses inside a
/// transaction (SW2001), with the statement as the reason.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddNonTransactionalCodeFixProvider)), Shared]
public sealed class AddNonTransactionalCodeFixProvider : CodeFixProvider
{
    private const string EquivalenceKey = "AddNonTransactional";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.CannotRunInTransaction);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(FixAllAsync);

    /// <inheritdoc />
    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            context.RegisterCodeFix(
                CodeAction.Create(
                    "Run this migration outside a transaction ([NonTransactional])",
                    ct => MarkAsync(context.Document, [diagnostic], ct),
                    EquivalenceKey),
                diagnostic);
        }

        return Task.CompletedTask;
    }

    private static async Task<Document?> FixAllAsync(FixAllContext context, Document document, ImmutableArray<Diagnostic> diagnostics) =>
        await MarkAsync(document, diagnostics, context.CancellationToken).ConfigureAwait(false);

    private static async Task<Document> MarkAsync(Document document, IEnumerable<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        // One attribute per class, whatever the number of statements that need it; the first statement names the reason.
        var reasons = new Dictionary<TypeDeclarationSyntax, string>();
        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
        {
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<TypeDeclarationSyntax>() is { } declaration &&
                !reasons.ContainsKey(declaration))
            {
                var statement = diagnostic.Properties.TryGetValue(PostgresSqlAnalyzer.StatementProperty, out var label) && label is not null
                    ? label
                    : "A statement";
                reasons[declaration] = statement + " cannot run inside a transaction block";
            }
        }

        return document.WithSyntaxRoot(root.ReplaceNodes(reasons.Keys, (original, rewritten) => rewritten.AddAttributeLists(Attribute(reasons[original]))));
    }

    private static AttributeListSyntax Attribute(string reason) =>
        SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(
                SyntaxFactory.Attribute(
                    SyntaxFactory.ParseName("global::Stepwise.NonTransactional"),
                    SyntaxFactory.AttributeArgumentList(SyntaxFactory.SingletonSeparatedList(
                        SyntaxFactory.AttributeArgument(SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(reason))))))))
            .WithAdditionalAnnotations(Formatter.Annotation, Simplifier.Annotation);
}
