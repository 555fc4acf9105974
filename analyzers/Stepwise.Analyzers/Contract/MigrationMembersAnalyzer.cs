using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Stepwise.Analyzers.Policy;

namespace Stepwise.Analyzers.Contract;

/// <summary>
/// A migration has a real Down (or a permitted [Irreversible]), a real Validate and a real PreCheck, and is
/// declared with [Migration] on a type the runner can run.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class MigrationMembersAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Names the member a SW1001–SW1003 diagnostic is about.</summary>
    public const string MemberProperty = "Member";

    /// <summary>Present when the class does not declare the member, so a fix may add it.</summary>
    public const string CanAddMemberProperty = "CanAddMember";

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.SW1001MissingDown,
        Descriptors.SW1002MissingValidate,
        Descriptors.SW1003MissingPreCheck,
        Descriptors.SW1004IrreversibleNotAllowed,
        Descriptors.SW1006MissingMigrationAttribute,
        Descriptors.SW1007MigrationAttributeOnUnusableType);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (MigrationSymbols.TryCreate(start.Compilation) is not { } symbols)
            {
                return;
            }

            var policy = ProjectPolicy.From(start.Options.AdditionalFiles, start.CancellationToken);
            start.RegisterSymbolAction(c => AnalyzeType(c, symbols, policy), SymbolKind.NamedType);
        });
    }

    private static void AnalyzeType(SymbolAnalysisContext context, MigrationSymbols symbols, ProjectPolicy policy)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        var migrationAttribute = MigrationSymbols.FindAttribute(type, symbols.MigrationAttribute);
        if (migrationAttribute is not null && UnusableBecause(type, symbols) is { } problem)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.SW1007MigrationAttributeOnUnusableType, AttributeLocation(migrationAttribute, context.CancellationToken), type.Name, problem));
        }

        if (!symbols.IsConcreteMigration(type))
        {
            return;
        }

        var classLocation = MigrationSymbols.ClassLocation(type, migrationAttribute);
        if (migrationAttribute is null)
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.SW1006MissingMigrationAttribute, classLocation, type.Name));
        }

        var irreversible = MigrationSymbols.FindAttribute(type, symbols.IrreversibleAttribute);
        if (irreversible is not null && policy.RequireRollback)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.SW1004IrreversibleNotAllowed, AttributeLocation(irreversible, context.CancellationToken), type.Name));
        }

        var waiveDown = irreversible is not null && !policy.RequireRollback;
        Check(context, type, symbols, "Down", Descriptors.SW1001MissingDown, classLocation, required: !waiveDown);
        Check(context, type, symbols, "Validate", Descriptors.SW1002MissingValidate, classLocation, required: policy.RequireValidation);
        Check(context, type, symbols, "PreCheck", Descriptors.SW1003MissingPreCheck, classLocation, required: true);
    }

    private static void Check(
        SymbolAnalysisContext context, INamedTypeSymbol type, MigrationSymbols symbols, string member, DiagnosticDescriptor rule, Location classLocation, bool required)
    {
        if (!required)
        {
            return;
        }

        var finding = Inspect(type, member, symbols, context.CancellationToken);
        if (finding.IsReal)
        {
            return;
        }

        var properties = ImmutableDictionary.CreateBuilder<string, string?>();
        properties[MemberProperty] = member;
        if (finding.DeclarationInType is null)
        {
            properties[CanAddMemberProperty] = "true";
        }

        context.ReportDiagnostic(Diagnostic.Create(
            rule, finding.DeclarationInType?.Identifier.GetLocation() ?? classLocation, properties.ToImmutable(), type.Name, finding.Reason));
    }

    /// <summary>Finds the override of <paramref name="member"/> the runner would call, and tells whether its body is real.</summary>
    private static MemberFinding Inspect(INamedTypeSymbol type, string member, MigrationSymbols symbols, CancellationToken cancellationToken)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, symbols.MigrationBase))
            {
                break;
            }

            foreach (var candidate in current.GetMembers(member))
            {
                if (candidate is not IMethodSymbol { IsOverride: true, IsStatic: false } method || !OverridesContractMember(method, symbols))
                {
                    continue;
                }

                var declaredHere = SymbolEqualityComparer.Default.Equals(current, type);
                if (method.DeclaringSyntaxReferences.IsEmpty)
                {
                    // Compiled in another assembly (a team's shared base class): its body cannot be seen, so it is trusted.
                    return MemberFinding.Real;
                }

                foreach (var reference in method.DeclaringSyntaxReferences)
                {
                    if (reference.GetSyntax(cancellationToken) is MethodDeclarationSyntax declaration)
                    {
                        if (MethodBodyClassifier.HasRealBody(declaration))
                        {
                            return MemberFinding.Real;
                        }

                        return declaredHere
                            ? new MemberFinding(false, declaration, "its body only completes or throws")
                            : new MemberFinding(false, null, $"the override inherited from '{current.Name}' only completes or throws");
                    }
                }

                return MemberFinding.Real;
            }
        }

        return new MemberFinding(false, null, $"it does not override {member}");
    }

    private static bool OverridesContractMember(IMethodSymbol method, MigrationSymbols symbols)
    {
        for (var overridden = method.OverriddenMethod; overridden is not null; overridden = overridden.OverriddenMethod)
        {
            if (SymbolEqualityComparer.Default.Equals(overridden.ContainingType.OriginalDefinition, symbols.MigrationBase))
            {
                return true;
            }
        }

        return false;
    }

    private static string? UnusableBecause(INamedTypeSymbol type, MigrationSymbols symbols)
    {
        if (type.TypeKind != TypeKind.Class || !symbols.DerivesFromMigrationBase(type))
        {
            return "it does not derive from Migration<TContext> (e.g. PostgresMigration)";
        }

        if (type.IsAbstract)
        {
            return "it is abstract";
        }

        if (MigrationSymbols.IsInGenericContext(type))
        {
            return "it is generic, so the runner cannot create it";
        }

        return MigrationSymbols.IsAssemblyVisible(type) ? null : "it is not visible to its whole assembly (a private or protected nested class)";
    }

    private static Location AttributeLocation(AttributeData attribute, CancellationToken cancellationToken) =>
        attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation() ?? Location.None;

    private readonly struct MemberFinding
    {
        public static readonly MemberFinding Real = new(true, null, string.Empty);

        public MemberFinding(bool isReal, MethodDeclarationSyntax? declarationInType, string reason)
        {
            IsReal = isReal;
            DeclarationInType = declarationInType;
            Reason = reason;
        }

        public bool IsReal { get; }

        /// <summary>The placeholder declaration when the class itself declares it.</summary>
        public MethodDeclarationSyntax? DeclarationInType { get; }

        public string Reason { get; }
    }
}
