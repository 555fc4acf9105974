using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Stepwise.Analyzers.MongoDb;

/// <summary>
/// The MongoDB rules, on migrations written against <c>MongoContext</c>: drops and field removals in an upgrade, unnamed
/// indexes, commands parsed from non-constant text, driver calls that bypass the step's session, and exceptions
/// swallowed inside a transactional step. Only classes deriving from <c>Migration&lt;MongoContext&gt;</c> are bound.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class MongoMigrationAnalyzer : DiagnosticAnalyzer
{
    private const string DriverNamespace = "MongoDB.Driver";

    // The first key of a command document that drops: { drop: "orders" } or { dropDatabase: 1 }.
    private static readonly Regex DropCommandJson = new(@"^\s*\{\s*[""']?(drop|dropDatabase)[""']?\s*:", RegexOptions.CultureInvariant);

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.SW3001MongoDropWithoutJustification,
        Descriptors.SW3002MongoFieldRemovalWithoutJustification,
        Descriptors.SW3003MongoIndexWithoutName,
        Descriptors.SW3004MongoNonConstantCommand,
        Descriptors.SW3005MongoCallBypassesSession,
        Descriptors.SW3006MongoSwallowedException);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (MigrationSymbols.TryCreate(start.Compilation) is not { } symbols ||
                start.Compilation.GetTypeByMetadataName(KnownTypes.MongoContext) is not { } mongoContext)
            {
                return;
            }

            var driver = new DriverSymbols(start.Compilation);
            start.RegisterSyntaxNodeAction(c => AnalyzeClass(c, symbols, mongoContext, driver), SyntaxKind.ClassDeclaration);
        });
    }

    private static void AnalyzeClass(SyntaxNodeAnalysisContext context, MigrationSymbols symbols, INamedTypeSymbol mongoContext, DriverSymbols driver)
    {
        var declaration = (ClassDeclarationSyntax)context.Node;
        if (context.SemanticModel.GetDeclaredSymbol(declaration, context.CancellationToken) is not { } type ||
            !symbols.IsConcreteMigration(type) || !SymbolEqualityComparer.Default.Equals(ContextOf(type, symbols), mongoContext))
        {
            return;
        }

        var migration = new Facts(
            type.Name,
            transactional: MigrationSymbols.FindAttribute(type, symbols.NonTransactionalAttribute) is null,
            destructiveAllowed: MigrationSymbols.FindAttribute(type, symbols.DestructiveAttribute) is not null ||
                                MigrationSymbols.IsNewInstall(MigrationSymbols.FindAttribute(type, symbols.MigrationAttribute)));

        // Nested types are declarations of their own.
        foreach (var node in declaration.DescendantNodes(n => n == declaration || n is not BaseTypeDeclarationSyntax))
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            switch (node)
            {
                case InvocationExpressionSyntax invocation:
                    AnalyzeInvocation(context, invocation, migration, mongoContext, driver);
                    break;
                case BaseObjectCreationExpressionSyntax creation:
                    AnalyzeCreation(context, creation, migration, driver);
                    break;
                case LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.StringLiteralExpression):
                    AnalyzeLiteral(context, literal, migration);
                    break;
                case CatchClauseSyntax handler when migration.Transactional && !Rethrows(handler):
                    context.ReportDiagnostic(Diagnostic.Create(Descriptors.SW3006MongoSwallowedException, handler.CatchKeyword.GetLocation()));
                    break;
            }
        }
    }

    private static void AnalyzeInvocation(
        SyntaxNodeAnalysisContext context, InvocationExpressionSyntax invocation, Facts migration, INamedTypeSymbol mongoContext, DriverSymbols driver)
    {
        if (context.SemanticModel.GetSymbolInfo(invocation, context.CancellationToken).Symbol is not IMethodSymbol method)
        {
            return;
        }

        var declaring = (method.ReducedFrom ?? method).ContainingType;
        var name = method.Name;
        if (migration.Transactional && driver.Session is not null && IsDriverType(declaring) &&
            !method.Parameters.Any(p => driver.IsSession(p.Type)) && driver.HasSessionOverload(method.ReducedFrom ?? method))
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.SW3005MongoCallBypassesSession, invocation.GetLocation(), name));
        }

        if (IsInUp(invocation) && !migration.DestructiveAllowed)
        {
            var drops = SymbolEqualityComparer.Default.Equals(declaring, mongoContext)
                ? name == "DropCollectionAsync"
                : IsDriverType(declaring) && name is "DropCollection" or "DropCollectionAsync" or "DropDatabase" or "DropDatabaseAsync";
            if (drops)
            {
                Report(context, Descriptors.SW3001MongoDropWithoutJustification, invocation.GetLocation(), name, migration.Name);
            }

            if (name is "Unset" or "Rename" && SymbolEqualityComparer.Default.Equals(declaring.OriginalDefinition, driver.UpdateDefinitionBuilder))
            {
                Report(context, Descriptors.SW3002MongoFieldRemovalWithoutJustification, invocation.GetLocation(), name, migration.Name);
            }
        }

        if (name == "Parse" && method.IsStatic && SymbolEqualityComparer.Default.Equals(declaring, driver.BsonDocument) &&
            invocation.ArgumentList.Arguments.FirstOrDefault() is { } text)
        {
            AnalyzeCommandText(context, text.Expression, migration, isInUp: IsInUp(invocation));
        }
    }

    private static void AnalyzeCreation(SyntaxNodeAnalysisContext context, BaseObjectCreationExpressionSyntax creation, Facts migration, DriverSymbols driver)
    {
        if (context.SemanticModel.GetTypeInfo(creation, context.CancellationToken).Type is not INamedTypeSymbol created)
        {
            return;
        }

        var arguments = creation.ArgumentList?.Arguments ?? default;
        if (SymbolEqualityComparer.Default.Equals(created.OriginalDefinition, driver.CreateIndexModel) && arguments.Count == 1)
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.SW3003MongoIndexWithoutName, creation.GetLocation()));
        }
        else if (driver.IsIndexOptions(created) && !AssignsName(creation.Initializer))
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.SW3003MongoIndexWithoutName, creation.GetLocation()));
        }
        else if (SymbolEqualityComparer.Default.Equals(created.OriginalDefinition, driver.JsonCommand) && arguments.Count > 0)
        {
            AnalyzeCommandText(context, arguments[0].Expression, migration, isInUp: IsInUp(creation));
        }
        else if (SymbolEqualityComparer.Default.Equals(created, driver.BsonDocument) && IsInUp(creation) && !migration.DestructiveAllowed &&
                 FirstKey(context, creation) is "drop" or "dropDatabase")
        {
            Report(context, Descriptors.SW3001MongoDropWithoutJustification, creation.GetLocation(), "A drop command", migration.Name);
        }
    }

    // A command given as text: it must be constant, and a constant drop counts as a drop.
    private static void AnalyzeCommandText(SyntaxNodeAnalysisContext context, ExpressionSyntax text, Facts migration, bool isInUp)
    {
        var constant = context.SemanticModel.GetConstantValue(text, context.CancellationToken);
        if (!constant.HasValue)
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.SW3004MongoNonConstantCommand, text.GetLocation(), Shorten(text.ToString())));
        }
        else if (isInUp && !migration.DestructiveAllowed && constant.Value is string json && DropCommandJson.IsMatch(json))
        {
            Report(context, Descriptors.SW3001MongoDropWithoutJustification, text.GetLocation(), "A drop command", migration.Name);
        }
    }

    private static void AnalyzeLiteral(SyntaxNodeAnalysisContext context, LiteralExpressionSyntax literal, Facts migration)
    {
        var text = literal.Token.ValueText;
        if (migration.DestructiveAllowed || (text.IndexOf("$unset", StringComparison.Ordinal) < 0 && text.IndexOf("$rename", StringComparison.Ordinal) < 0) ||
            !IsInUp(literal))
        {
            return;
        }

        Report(context, Descriptors.SW3002MongoFieldRemovalWithoutJustification, literal.GetLocation(),
            text.IndexOf("$unset", StringComparison.Ordinal) >= 0 ? "$unset" : "$rename", migration.Name);
    }

    private static void Report(SyntaxNodeAnalysisContext context, DiagnosticDescriptor rule, Location location, string what, string migration) =>
        context.ReportDiagnostic(Diagnostic.Create(rule, location, what, migration));

    private static ITypeSymbol? ContextOf(INamedTypeSymbol type, MigrationSymbols symbols)
    {
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, symbols.MigrationBase))
            {
                return current.TypeArguments[0];
            }
        }

        return null;
    }

    private static bool IsDriverType(INamedTypeSymbol? type) => type?.ContainingNamespace?.ToDisplayString() == DriverNamespace;

    // Up, or a lambda or local function inside it: the upgrade.
    private static bool IsInUp(SyntaxNode node) =>
        node.FirstAncestorOrSelf<MemberDeclarationSyntax>() is MethodDeclarationSyntax { Identifier.ValueText: "Up" } method &&
        method.Modifiers.Any(SyntaxKind.OverrideKeyword);

    private static bool Rethrows(CatchClauseSyntax handler) =>
        handler.Block.DescendantNodes().Any(n => n is ThrowStatementSyntax or ThrowExpressionSyntax);

    private static bool AssignsName(InitializerExpressionSyntax? initializer) =>
        initializer is not null && initializer.Expressions.OfType<AssignmentExpressionSyntax>().Any(a => a.Left is IdentifierNameSyntax { Identifier.ValueText: "Name" });

    // The first key of new BsonDocument("drop", "orders") or new BsonDocument { { "drop", "orders" } }, when constant.
    private static string? FirstKey(SyntaxNodeAnalysisContext context, BaseObjectCreationExpressionSyntax creation)
    {
        var first = creation.ArgumentList?.Arguments.FirstOrDefault()?.Expression
                    ?? (creation.Initializer?.Expressions.FirstOrDefault() as InitializerExpressionSyntax)?.Expressions.FirstOrDefault();
        return first is null ? null : context.SemanticModel.GetConstantValue(first, context.CancellationToken).Value as string;
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text.Substring(0, 60) + "…";

    private sealed class Facts
    {
        public Facts(string name, bool transactional, bool destructiveAllowed)
        {
            Name = name;
            Transactional = transactional;
            DestructiveAllowed = destructiveAllowed;
        }

        public string Name { get; }

        public bool Transactional { get; }

        /// <summary>[Destructive("why")], or a new install (which drops nothing that exists).</summary>
        public bool DestructiveAllowed { get; }
    }

    /// <summary>The driver's types the rules look for; any of them may be absent from a compilation.</summary>
    private sealed class DriverSymbols
    {
        private readonly ConcurrentDictionary<(INamedTypeSymbol Type, string Name), bool> _sessionOverloads = new();

        public DriverSymbols(Compilation compilation)
        {
            Session = compilation.GetTypeByMetadataName(KnownTypes.MongoSession);
            BsonDocument = compilation.GetTypeByMetadataName(KnownTypes.BsonDocument);
            CreateIndexModel = compilation.GetTypeByMetadataName(KnownTypes.CreateIndexModel);
            CreateIndexOptions = compilation.GetTypeByMetadataName(KnownTypes.CreateIndexOptions);
            JsonCommand = compilation.GetTypeByMetadataName(KnownTypes.JsonCommand);
            UpdateDefinitionBuilder = compilation.GetTypeByMetadataName(KnownTypes.UpdateDefinitionBuilder);
        }

        public INamedTypeSymbol? Session { get; }

        public INamedTypeSymbol? BsonDocument { get; }

        public INamedTypeSymbol? CreateIndexModel { get; }

        public INamedTypeSymbol? CreateIndexOptions { get; }

        public INamedTypeSymbol? JsonCommand { get; }

        public INamedTypeSymbol? UpdateDefinitionBuilder { get; }

        public bool IsSession(ITypeSymbol type) =>
            SymbolEqualityComparer.Default.Equals(type, Session) || type.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i, Session));

        public bool IsIndexOptions(INamedTypeSymbol type)
        {
            for (INamedTypeSymbol? current = type; current is not null; current = current.BaseType)
            {
                if (SymbolEqualityComparer.Default.Equals(current, CreateIndexOptions))
                {
                    return true;
                }
            }

            return false;
        }

        // Whether the method's type offers the same operation with a session (Find(session, filter) beside Find(filter)).
        public bool HasSessionOverload(IMethodSymbol method) =>
            _sessionOverloads.GetOrAdd((method.ContainingType, method.Name),
                key => key.Type.GetMembers(key.Name).OfType<IMethodSymbol>().Any(m => m.Parameters.Any(p => IsSession(p.Type))));
    }
}
