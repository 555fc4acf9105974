using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Stepwise.Analyzers;

/// <summary>The Stepwise contract types as resolved in one compilation, and questions about a type that every rule asks.</summary>
internal sealed class MigrationSymbols
{
    private MigrationSymbols(Compilation compilation, INamedTypeSymbol migrationBase)
    {
        MigrationBase = migrationBase;
        MigrationAttribute = compilation.GetTypeByMetadataName(KnownTypes.MigrationAttribute);
        MigrationProjectAttribute = compilation.GetTypeByMetadataName(KnownTypes.MigrationProjectAttribute);
        IrreversibleAttribute = compilation.GetTypeByMetadataName(KnownTypes.IrreversibleAttribute);
        NonTransactionalAttribute = compilation.GetTypeByMetadataName(KnownTypes.NonTransactionalAttribute);
        DestructiveAttribute = compilation.GetTypeByMetadataName(KnownTypes.DestructiveAttribute);
    }

    public INamedTypeSymbol MigrationBase { get; }

    public INamedTypeSymbol? MigrationAttribute { get; }

    public INamedTypeSymbol? MigrationProjectAttribute { get; }

    public INamedTypeSymbol? IrreversibleAttribute { get; }

    public INamedTypeSymbol? NonTransactionalAttribute { get; }

    public INamedTypeSymbol? DestructiveAttribute { get; }

    /// <summary>Null when the compilation does not see the Stepwise contract: then no rule has anything to say.</summary>
    public static MigrationSymbols? TryCreate(Compilation compilation) =>
        compilation.GetTypeByMetadataName(KnownTypes.MigrationBase) is { } migrationBase ? new MigrationSymbols(compilation, migrationBase) : null;

    /// <summary>Whether <paramref name="type"/> derives, directly or not, from <c>Migration&lt;TContext&gt;</c>.</summary>
    public bool DerivesFromMigrationBase(INamedTypeSymbol type)
    {
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, MigrationBase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A class the runner would instantiate: derives from the base, not abstract, not generic (nor nested in a generic).</summary>
    public bool IsConcreteMigration(INamedTypeSymbol type) =>
        type.TypeKind == TypeKind.Class && !type.IsAbstract && !IsInGenericContext(type) && DerivesFromMigrationBase(type);

    public static bool IsInGenericContext(INamedTypeSymbol type)
    {
        for (var current = type; current is not null; current = current.ContainingType)
        {
            if (current.IsGenericType)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether code anywhere in the assembly can name the type (an assembly attribute's typeof() needs that).</summary>
    public static bool IsAssemblyVisible(INamedTypeSymbol type)
    {
        for (var current = type; current is not null; current = current.ContainingType)
        {
            if (current.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The enum member's name, read from the contract's enum so the rule follows it; the number when none matches.</summary>
    public static string EnumMemberName(TypedConstant constant)
    {
        if (constant.Type is INamedTypeSymbol { TypeKind: TypeKind.Enum } enumType)
        {
            foreach (var field in enumType.GetMembers().OfType<IFieldSymbol>())
            {
                if (field.HasConstantValue && Equals(field.ConstantValue, constant.Value))
                {
                    return field.Name;
                }
            }
        }

        return Convert.ToString(constant.Value, System.Globalization.CultureInfo.InvariantCulture) ?? "?";
    }

    /// <summary>Whether <c>[Migration]</c> declares the new-install path (the default path is Upgrade).</summary>
    public static bool IsNewInstall(AttributeData? migration)
    {
        foreach (var pair in migration?.NamedArguments ?? ImmutableArray<KeyValuePair<string, TypedConstant>>.Empty)
        {
            if (pair.Key == "Path")
            {
                return EnumMemberName(pair.Value) == "NewInstall";
            }
        }

        return false;
    }

    public static AttributeData? FindAttribute(ISymbol symbol, INamedTypeSymbol? attributeType) =>
        attributeType is null
            ? null
            : symbol.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attributeType));

    /// <summary>
    /// Where to report a diagnostic about the class as a whole: its name in the declaration that carries
    /// <c>[Migration]</c> (a partial class may have several), else in its first declaration.
    /// </summary>
    public static Location ClassLocation(INamedTypeSymbol type, AttributeData? migrationAttribute)
    {
        if (migrationAttribute?.ApplicationSyntaxReference?.GetSyntax() is { } attribute &&
            attribute.FirstAncestorOrSelf<TypeDeclarationSyntax>() is { } declaration)
        {
            return declaration.Identifier.GetLocation();
        }

        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax() is TypeDeclarationSyntax typeDeclaration)
            {
                return typeDeclaration.Identifier.GetLocation();
            }
        }

        return type.Locations.FirstOrDefault() ?? Location.None;
    }
}
