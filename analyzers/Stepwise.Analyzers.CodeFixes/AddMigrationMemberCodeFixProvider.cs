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
using Stepwise.Analyzers.Contract;

namespace Stepwise.Analyzers.CodeFixes;

/// <summary>
/// Adds the missing <c>Down</c>, <c>Validate</c> or <c>PreCheck</c> as a skeleton whose body throws
/// <see cref="System.NotImplementedException"/>. The skeleton still breaks the rule, so the fix never turns a red
/// build green: it only puts the right signature where the real code goes.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddMigrationMemberCodeFixProvider)), Shared]
public sealed class AddMigrationMemberCodeFixProvider : CodeFixProvider
{
    private static readonly Dictionary<string, string> Hints = new()
    {
        ["Down"] = "revert exactly what Up does",
        ["Validate"] = "prove that Up did what it promised, e.g. Require(await db.TableExistsAsync(\"...\", ct), \"...\")",
        ["PreCheck"] = "check the state this migration starts from; on rollback it also proves Down restored it",
    };

    private static readonly Dictionary<string, string> RuleOf = new()
    {
        ["Down"] = RuleIdentifiers.MissingDown,
        ["Validate"] = RuleIdentifiers.MissingValidate,
        ["PreCheck"] = RuleIdentifiers.MissingPreCheck,
    };

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(RuleIdentifiers.MissingDown, RuleIdentifiers.MissingValidate, RuleIdentifiers.MissingPreCheck);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(FixAllAsync);

    /// <inheritdoc />
    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.ContainsKey(MigrationMembersAnalyzer.CanAddMemberProperty) ||
                !diagnostic.Properties.TryGetValue(MigrationMembersAnalyzer.MemberProperty, out var member) || member is null)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Add a {member} skeleton (the build fails until it is implemented)",
                    ct => AddMembersAsync(context.Document, [diagnostic], ct),
                    equivalenceKey: "Add" + member),
                diagnostic);
        }

        return Task.CompletedTask;
    }

    private static async Task<Document?> FixAllAsync(FixAllContext context, Document document, ImmutableArray<Diagnostic> diagnostics) =>
        await AddMembersAsync(document, diagnostics.Where(d => d.Properties.ContainsKey(MigrationMembersAnalyzer.CanAddMemberProperty)), context.CancellationToken)
            .ConfigureAwait(false);

    private static async Task<Document> AddMembersAsync(Document document, IEnumerable<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return document;
        }

        // Several fixes may target one class (Fix All): group them so each class is rewritten once.
        var work = new Dictionary<TypeDeclarationSyntax, SortedSet<string>>();
        foreach (var diagnostic in diagnostics)
        {
            if (root.FindNode(diagnostic.Location.SourceSpan).FirstAncestorOrSelf<TypeDeclarationSyntax>() is { } declaration &&
                diagnostic.Properties.TryGetValue(MigrationMembersAnalyzer.MemberProperty, out var member) && member is not null)
            {
                if (!work.TryGetValue(declaration, out var members))
                {
                    work[declaration] = members = new SortedSet<string>(System.StringComparer.Ordinal);
                }

                members.Add(member);
            }
        }

        var newLine = root.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia)).ToString() is { Length: > 0 } found ? found : "\n";
        var skeletons = new Dictionary<TypeDeclarationSyntax, List<(string Member, MethodDeclarationSyntax Method)>>();
        foreach (var pair in work)
        {
            if (model.GetDeclaredSymbol(pair.Key, cancellationToken) is INamedTypeSymbol type)
            {
                skeletons[pair.Key] = new[] { "PreCheck", "Down", "Validate" }
                    .Where(pair.Value.Contains)
                    .Select(member => (Member: member, Method: ContractMember(type, member) is { } baseMethod ? Skeleton(baseMethod, member, newLine) : null))
                    .Where(s => s.Method is not null)
                    .Select(s => (s.Member, s.Method!))
                    .ToList();
            }
        }

        return document.WithSyntaxRoot(root.ReplaceNodes(skeletons.Keys, (original, rewritten) =>
        {
            foreach (var (member, method) in skeletons[original])
            {
                if (!Declares(rewritten, member))
                {
                    rewritten = Insert(rewritten, member, method);
                }
            }

            return rewritten;
        }));
    }

    /// <summary>The member as <c>Migration&lt;TContext&gt;</c> declares it, with the migration's context substituted.</summary>
    private static IMethodSymbol? ContractMember(INamedTypeSymbol type, string name)
    {
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            var definition = current.OriginalDefinition;
            if (definition.MetadataName == "Migration`1" && definition.ContainingNamespace?.ToDisplayString() == "Stepwise")
            {
                return current.GetMembers(name).OfType<IMethodSymbol>().FirstOrDefault(m => m.Parameters.Length == 2);
            }
        }

        return null;
    }

    private static bool Declares(TypeDeclarationSyntax declaration, string name) =>
        declaration.Members.OfType<MethodDeclarationSyntax>().Any(m => m.Identifier.ValueText == name);

    private static MethodDeclarationSyntax Skeleton(IMethodSymbol baseMethod, string member, string newLine)
    {
        var format = SymbolDisplayFormat.FullyQualifiedFormat;
        var parameters = string.Join(", ", baseMethod.Parameters.Select(p => p.Type.ToDisplayString(format) + " " + p.Name));
        var text = $$"""
            public override {{baseMethod.ReturnType.ToDisplayString(format)}} {{member}}({{parameters}})
            {
                // TODO: {{Hints[member]}}. The build fails ({{RuleOf[member]}}) until this throw is replaced.
                throw new global::System.NotImplementedException();
            }
            """;
        // A blank line before the member, as between the members a team writes.
        return ((MethodDeclarationSyntax)SyntaxFactory.ParseMemberDeclaration(newLine + text.Replace("\n", newLine) + newLine)!)
            .WithAdditionalAnnotations(Formatter.Annotation, Simplifier.Annotation);
    }

    // Members go where a reader expects them: PreCheck before Up, Down after Up, Validate after Down.
    private static TypeDeclarationSyntax Insert(TypeDeclarationSyntax declaration, string member, MethodDeclarationSyntax method)
    {
        var members = declaration.Members;
        int IndexOf(string name) => members.IndexOf(m => m is MethodDeclarationSyntax method && method.Identifier.ValueText == name);

        var up = IndexOf("Up");
        var index = member switch
        {
            "PreCheck" when up >= 0 => up,
            "Down" when up >= 0 => up + 1,
            "Validate" when IndexOf("Down") >= 0 => IndexOf("Down") + 1,
            "Validate" when up >= 0 => up + 1,
            _ => members.Count,
        };

        if (index == 0 && members.Count > 0)
        {
            // First member: the blank line goes after it, not between it and the opening brace.
            var leading = method.GetLeadingTrivia();
            var trailing = method.GetTrailingTrivia();
            var newLine = leading.FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
            method = method.WithLeadingTrivia(leading.Remove(newLine)).WithTrailingTrivia(trailing.Add(newLine));
        }

        return declaration.WithMembers(members.Insert(index, method));
    }
}
