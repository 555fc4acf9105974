using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Stepwise.Rules;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

using Stepwise.Analyzers.Policy;

namespace Stepwise.Analyzers.Contract;

/// <summary>
/// What the runner reads from attributes: a valid <c>[Migration]</c> (version, order, from-version, phase), an identity
/// unique within the assembly, one valid <c>[assembly: MigrationProject]</c>, and a reason on every escape hatch.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class MigrationDeclarationAnalyzer : DiagnosticAnalyzer
{

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.SW1005EscapeHatchWithoutReason,
        Descriptors.SW1008InvalidMigrationVersion,
        Descriptors.SW1009InvalidMigrationOrder,
        Descriptors.SW1010InvalidFromVersion,
        Descriptors.SW1011PhaseNotInPath,
        Descriptors.SW1012DuplicateMigrationIdentity,
        Descriptors.SW1013MissingMigrationProject,
        Descriptors.SW1014InvalidProjectName,
        Descriptors.SW1015VersionNotInCompatibilityMatrix);

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

            var migrations = new ConcurrentBag<DeclaredMigration>();
            var policy = ProjectPolicy.From(start.Options.AdditionalFiles, start.CancellationToken);
            start.RegisterSymbolAction(c => AnalyzeType(c, symbols, policy, migrations), SymbolKind.NamedType);
            start.RegisterCompilationEndAction(c => AnalyzeAssembly(c, symbols, migrations));
        });
    }

    private static void AnalyzeType(SymbolAnalysisContext context, MigrationSymbols symbols, ProjectPolicy policy, ConcurrentBag<DeclaredMigration> migrations)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (type.TypeKind != TypeKind.Class)
        {
            return;
        }

        foreach (var attribute in type.GetAttributes())
        {
            if (IsEscapeHatch(attribute.AttributeClass, symbols) && attribute.ConstructorArguments.Length == 1 &&
                string.IsNullOrWhiteSpace(attribute.ConstructorArguments[0].Value as string))
            {
                var name = attribute.AttributeClass!.Name;
                context.ReportDiagnostic(Diagnostic.Create(
                    Descriptors.SW1005EscapeHatchWithoutReason,
                    ArgumentLocation(attribute, 0, "reason", context.CancellationToken),
                    name.EndsWith("Attribute", StringComparison.Ordinal) ? name.Substring(0, name.Length - "Attribute".Length) : name,
                    type.Name));
            }
        }

        var migration = MigrationSymbols.FindAttribute(type, symbols.MigrationAttribute);
        if (symbols.IsConcreteMigration(type))
        {
            var key = migration is null ? null : CheckMigrationAttribute(context, migration, policy);
            var classLocation = MigrationSymbols.ClassLocation(type, migration);
            migrations.Add(new DeclaredMigration(
                type.ToDisplayString(),
                key,
                classLocation,
                migration?.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken).GetLocation() ?? classLocation));
        }
    }

    /// <summary>Reports what is wrong with <c>[Migration]</c>; returns the migration's identity when it is well-formed.</summary>
    private static string? CheckMigrationAttribute(SymbolAnalysisContext context, AttributeData migration, ProjectPolicy policy)
    {
        if (migration.AttributeConstructor is null || migration.ConstructorArguments.Length != 2)
        {
            return null; // The compiler already reports the malformed attribute.
        }

        var ct = context.CancellationToken;
        var valid = true;
        var version = migration.ConstructorArguments[0].Value as string;
        var normalizedVersion = SemanticVersion.Normalize(version);
        if (normalizedVersion is null)
        {
            valid = false;
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.SW1008InvalidMigrationVersion, ArgumentLocation(migration, 0, "version", ct), version ?? "null"));
        }
        else if (policy.MatrixVersions is { } matrix && !matrix.Contains(normalizedVersion))
        {
            // Said as what to write: the entry, and the version it most likely comes from (the highest one below it).
            var below = matrix.Where(v => SemanticVersion.Compare(v, normalizedVersion) < 0).OrderBy(v => v, SemanticVersion.Comparer).LastOrDefault();
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.SW1015VersionNotInCompatibilityMatrix, ArgumentLocation(migration, 0, "version", ct), normalizedVersion,
                below is null ? "" : "v" + below,
                below is null ? "" : $", and v{normalizedVersion} to the upgrades_to of v{below}"));
        }

        var order = migration.ConstructorArguments[1].Value as int? ?? 0;
        if (order <= 0)
        {
            valid = false;
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.SW1009InvalidMigrationOrder, ArgumentLocation(migration, 1, "order", ct), order));
        }

        var isNewInstall = MigrationSymbols.IsNewInstall(migration);

        string? normalizedFrom = null;
        if (Named(migration, "From") is { } fromConstant && fromConstant.Value is string from)
        {
            normalizedFrom = SemanticVersion.Normalize(from);
            var problem = isNewInstall ? "applies only to upgrade migrations; a new-install migration runs on an empty database"
                : normalizedFrom is null ? "is not a semantic version (expected MAJOR.MINOR.PATCH, e.g. 1.0.0)"
                : null;
            if (problem is not null)
            {
                valid = false;
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.SW1010InvalidFromVersion, NamedArgumentLocation(migration, "From", ct), from, problem));
            }
        }

        var phaseName = Named(migration, "Phase") is { } phase ? MigrationSymbols.EnumMemberName(phase) : "Default";
        var resolvedPhase = SharedRules.ResolvePhase(isNewInstall, phaseName);
        if (resolvedPhase is null)
        {
            valid = false;
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.SW1011PhaseNotInPath,
                NamedArgumentLocation(migration, "Phase", ct),
                phaseName,
                isNewInstall ? "new-install" : "upgrade",
                string.Join(", ", isNewInstall ? SharedRules.NewInstallPhases : SharedRules.UpgradePhases)));
        }

        if (!valid)
        {
            return null;
        }

        return $"version {normalizedVersion}, {(isNewInstall ? "new-install" : "upgrade")}"
            + (normalizedFrom is null ? string.Empty : $" from {normalizedFrom}")
            + $", phase {resolvedPhase}, order {order}";
    }

    private static void AnalyzeAssembly(CompilationAnalysisContext context, MigrationSymbols symbols, ConcurrentBag<DeclaredMigration> migrations)
    {
        var ct = context.CancellationToken;
        var project = MigrationSymbols.FindAttribute(context.Compilation.Assembly, symbols.MigrationProjectAttribute);
        if (project is not null && project.ConstructorArguments.Length == 1 && project.ConstructorArguments[0].Value is var name &&
            !ProjectName.IsValid(name as string))
        {
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.SW1014InvalidProjectName, ArgumentLocation(project, 0, "name", ct), name as string ?? "null"));
        }

        var ordered = migrations.OrderBy(m => m.TypeName, StringComparer.Ordinal).ToList();
        if (project is null && ordered.Count > 0)
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.SW1013MissingMigrationProject, ordered[0].ClassLocation, ordered[0].TypeName));
        }

        foreach (var group in ordered.Where(m => m.Identity is not null).GroupBy(m => m.Identity, StringComparer.Ordinal))
        {
            var members = group.ToList();
            if (members.Count < 2)
            {
                continue;
            }

            foreach (var member in members)
            {
                var other = members.First(m => !ReferenceEquals(m, member));
                context.ReportDiagnostic(Diagnostic.Create(
                    Descriptors.SW1012DuplicateMigrationIdentity, member.AttributeLocation, member.TypeName, other.TypeName, group.Key));
            }
        }
    }

    private static bool IsEscapeHatch(INamedTypeSymbol? attributeClass, MigrationSymbols symbols) =>
        attributeClass is not null &&
        (SymbolEqualityComparer.Default.Equals(attributeClass, symbols.IrreversibleAttribute) ||
         SymbolEqualityComparer.Default.Equals(attributeClass, symbols.NonTransactionalAttribute) ||
         SymbolEqualityComparer.Default.Equals(attributeClass, symbols.DestructiveAttribute));

    private static TypedConstant? Named(AttributeData attribute, string name)
    {
        foreach (var pair in attribute.NamedArguments)
        {
            if (pair.Key == name)
            {
                return pair.Value;
            }
        }

        return null;
    }

    private static Location ArgumentLocation(AttributeData attribute, int position, string parameterName, CancellationToken ct)
    {
        if (attribute.ApplicationSyntaxReference?.GetSyntax(ct) is not AttributeSyntax syntax)
        {
            return Location.None;
        }

        if (syntax.ArgumentList is { } list)
        {
            var positional = 0;
            foreach (var argument in list.Arguments)
            {
                if (argument.NameEquals is not null)
                {
                    continue;
                }

                if (argument.NameColon is { } colon ? colon.Name.Identifier.ValueText == parameterName : positional == position)
                {
                    return argument.Expression.GetLocation();
                }

                positional++;
            }
        }

        return syntax.GetLocation();
    }

    private static Location NamedArgumentLocation(AttributeData attribute, string property, CancellationToken ct)
    {
        if (attribute.ApplicationSyntaxReference?.GetSyntax(ct) is not AttributeSyntax syntax)
        {
            return Location.None;
        }

        foreach (var argument in syntax.ArgumentList?.Arguments ?? default)
        {
            if (argument.NameEquals?.Name.Identifier.ValueText == property)
            {
                return argument.Expression.GetLocation();
            }
        }

        return syntax.GetLocation();
    }

    private sealed class DeclaredMigration
    {
        public DeclaredMigration(string typeName, string? identity, Location classLocation, Location attributeLocation)
        {
            TypeName = typeName;
            Identity = identity;
            ClassLocation = classLocation;
            AttributeLocation = attributeLocation;
        }

        public string TypeName { get; }

        /// <summary>(version, path, from, phase, order) in words; null when [Migration] is missing or malformed.</summary>
        public string? Identity { get; }

        public Location ClassLocation { get; }

        public Location AttributeLocation { get; }
    }
}
