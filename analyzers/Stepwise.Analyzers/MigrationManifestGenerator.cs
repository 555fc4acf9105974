using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Stepwise.Analyzers;

/// <summary>
/// Writes the assembly's migration manifest: a class listing every migration with its checksum, the checks it
/// declares and its Stepwise attributes, named by <c>[assembly: MigrationManifest]</c>. The runner reads it instead of
/// scanning the assembly, and detects a changed migration without running or decompiling it.
/// </summary>
/// <remarks>
/// The checksum covers the class's tokens (attributes, members, SQL literals) and ignores whitespace and comments, so
/// reformatting or an SDK upgrade never reports drift, while any change that could change behaviour does.
/// </remarks>
[Generator(LanguageNames.CSharp)]
public sealed class MigrationManifestGenerator : IIncrementalGenerator
{
    private const string HintName = "StepwiseMigrationManifest.g.cs";

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // Syntax only: binding every migration's attributes cost more build time than everything else Stepwise adds,
        // and the declaration's shape says all the generator needs.
        var parts = context.SyntaxProvider
            .CreateSyntaxProvider(
                static (node, _) => node is ClassDeclarationSyntax declaration && (IsPartial(declaration) || HasMigrationAttribute(declaration)),
                static (ctx, _) => Describe((ClassDeclarationSyntax)ctx.Node))
            .Where(static part => part is not null)
            .Select(static (part, _) => part!.Value)
            .Collect();
        var assemblyName = context.CompilationProvider.Select(static (compilation, _) => compilation.AssemblyName ?? "Migrations");

        context.RegisterSourceOutput(parts.Combine(assemblyName), static (spc, input) => Emit(spc, input.Left, input.Right));
    }

    private static DeclarationPart? Describe(ClassDeclarationSyntax declaration)
    {
        var names = Names(declaration);
        return names is not { } found
            ? null
            : new DeclarationPart(found.TypeOf, found.FullName, HasMigrationAttribute(declaration), IsRunnable(declaration), NormalizedTokens(declaration),
                DeclaredOverrides(declaration), RecordedAttributes.Of(declaration));
    }

    // The checks the runner asks about, as this part declares them: "override" and the name are all it takes, since C#
    // allows "override" only on a matching virtual member. And whether its Up does nothing but send one statement.
    private static int DeclaredOverrides(ClassDeclarationSyntax declaration)
    {
        var found = 0;
        foreach (var member in declaration.Members)
        {
            if (member is MethodDeclarationSyntax method && method.Modifiers.Any(SyntaxKind.OverrideKeyword))
            {
                found |= Array.IndexOf(CheckedMethods, method.Identifier.ValueText) is var index and >= 0 ? 1 << index : 0;
                found |= method.Identifier.ValueText == "Up" && SendsOneStatement(method) ? 1 << Array.IndexOf(CheckedMethods, OneStatementUp) : 0;
            }
        }

        return found;
    }

    // Down, PreCheck and Validate name the methods; OneStatementUp says that Up only hands one statement of fixed text to
    // the context (db.ExecuteAsync(sql, ct), returned or awaited), so that no code of the migration runs before it: the
    // runner may then send PreCheck's checks with that statement, and the server verifies them before running it.
    private static readonly string[] CheckedMethods = ["Down", "PreCheck", "Validate", OneStatementUp];

    private const string OneStatementUp = "OneStatementUp";

    private static bool SendsOneStatement(MethodDeclarationSyntax up)
    {
        var parameters = up.ParameterList.Parameters;
        var statements = up.Body?.Statements ?? default;
        var sent = up.ExpressionBody?.Expression ?? (statements.Count == 1 ? statements[0] switch
        {
            ReturnStatementSyntax returned => returned.Expression,
            ExpressionStatementSyntax statement => statement.Expression,
            _ => null,
        } : null);
        if (sent is AwaitExpressionSyntax awaited)
        {
            sent = awaited.Expression;
        }

        if (parameters.Count != 2 || sent is not InvocationExpressionSyntax
            {
                Expression: MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax receiver, Name: IdentifierNameSyntax { Identifier.ValueText: "ExecuteAsync" } },
            } call || call.ArgumentList.Arguments.Count != 2)
        {
            return false;
        }

        var sql = call.ArgumentList.Arguments[0];
        var cancellation = call.ArgumentList.Arguments[1];
        return receiver.Identifier.ValueText == parameters[0].Identifier.ValueText
            && sql.NameColon is null && sql.RefKindKeyword.IsKind(SyntaxKind.None) && IsFixedText(sql.Expression)
            && cancellation.NameColon is null && cancellation.Expression is IdentifierNameSyntax token
            && token.Identifier.ValueText == parameters[1].Identifier.ValueText;
    }

    // A literal, a concatenation of literals, or a name (a constant or a field): nothing that runs code of its own.
    private static bool IsFixedText(ExpressionSyntax expression) => expression switch
    {
        LiteralExpressionSyntax literal => literal.IsKind(SyntaxKind.StringLiteralExpression),
        BinaryExpressionSyntax binary when binary.IsKind(SyntaxKind.AddExpression) => IsFixedText(binary.Left) && IsFixedText(binary.Right),
        ParenthesizedExpressionSyntax parenthesized => IsFixedText(parenthesized.Expression),
        IdentifierNameSyntax => true,
        MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax or MemberAccessExpressionSyntax, Name: IdentifierNameSyntax } => true,
        _ => false,
    };

    private static bool HasMigrationAttribute(ClassDeclarationSyntax declaration)
    {
        foreach (var list in declaration.AttributeLists)
        {
            foreach (var attribute in list.Attributes)
            {
                var name = attribute.Name switch
                {
                    QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
                    AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
                    SimpleNameSyntax simple => simple.Identifier.ValueText,
                    _ => null,
                };
                if (name is "Migration" or "MigrationAttribute")
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool IsPartial(ClassDeclarationSyntax declaration) => declaration.Modifiers.Any(SyntaxKind.PartialKeyword);

    // The manifest's typeof() can only name non-generic types visible to the whole assembly.
    private static bool IsRunnable(ClassDeclarationSyntax declaration)
    {
        if (declaration.Modifiers.Any(SyntaxKind.AbstractKeyword))
        {
            return false;
        }

        for (SyntaxNode? node = declaration; node is TypeDeclarationSyntax type; node = node.Parent)
        {
            var modifiers = type.Modifiers;
            var visible = modifiers.Any(SyntaxKind.PublicKeyword) || modifiers.Any(SyntaxKind.InternalKeyword) ||
                (type.Parent is not TypeDeclarationSyntax && !modifiers.Any(SyntaxKind.PrivateKeyword) && !modifiers.Any(SyntaxKind.ProtectedKeyword));
            if (!visible || modifiers.Any(SyntaxKind.PrivateKeyword))
            {
                return false;
            }
        }

        return true;
    }

    // How the manifest's typeof names the class (global::Namespace.Outer.Inner, identifiers as written) and its
    // Type.FullName (Namespace.Outer+Inner), or null inside a generic type (where typeof needs type arguments).
    private static (string TypeOf, string FullName)? Names(ClassDeclarationSyntax declaration)
    {
        if (declaration.TypeParameterList is not null)
        {
            return null;
        }

        var types = new List<SyntaxToken> { declaration.Identifier };
        var namespaces = new List<NameSyntax>();
        for (var node = declaration.Parent; node is not null; node = node.Parent)
        {
            switch (node)
            {
                case TypeDeclarationSyntax type when type.TypeParameterList is not null:
                    return null;
                case TypeDeclarationSyntax type:
                    types.Add(type.Identifier);
                    break;
                case BaseNamespaceDeclarationSyntax declared:
                    namespaces.Add(declared.Name);
                    break;
            }
        }

        types.Reverse();
        namespaces.Reverse();
        var typeOf = string.Join(".", namespaces.SelectMany(static n => Identifiers(n)).Concat(types).Select(static t => t.Text));
        var ns = string.Join(".", namespaces.SelectMany(static n => Identifiers(n)).Select(static t => t.ValueText));
        var nested = string.Join("+", types.Select(static t => t.ValueText));
        return ("global::" + typeOf, ns.Length == 0 ? nested : ns + "." + nested);
    }

    private static IEnumerable<SyntaxToken> Identifiers(NameSyntax name) => name switch
    {
        QualifiedNameSyntax qualified => Identifiers(qualified.Left).Concat(Identifiers(qualified.Right)),
        SimpleNameSyntax simple => new[] { simple.Identifier },
        _ => Enumerable.Empty<SyntaxToken>(),
    };

    private static string NormalizedTokens(SyntaxNode node)
    {
        var builder = new StringBuilder();
        foreach (var token in node.DescendantTokens(descendIntoTrivia: false))
        {
            builder.Append(token.Text).Append('\u0001');
        }

        return builder.ToString();
    }

    private static string Sha256Hex(string text)
    {
        using var sha = SHA256.Create();
        var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(text));
        var hex = new StringBuilder(hash.Length * 2);
        foreach (var b in hash)
        {
            hex.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return hex.ToString();
    }

    private static void Emit(SourceProductionContext context, ImmutableArray<DeclarationPart> parts, string assemblyName)
    {
        var migrations = parts
            .GroupBy(static p => p.TypeName, StringComparer.Ordinal)
            .Where(static g => g.Any(static p => p.IsMigration) && g.All(static p => p.IsRunnable))
            .OrderBy(static g => g.Key, StringComparer.Ordinal)
            .ToArray();
        if (migrations.Length == 0)
        {
            return;
        }

        // One name per assembly: a test project that sees a migrations assembly's internals must not see two manifests.
        var manifest = "Manifest_" + Identifier(assemblyName);
        var source = new StringBuilder()
            .AppendLine("// <auto-generated>Stepwise migration manifest. Regenerated on every build.</auto-generated>")
            .AppendLine("#nullable enable")
            .AppendLine("#pragma warning disable CS0612, CS0618 // a migration may be marked obsolete; listing it is no use of it")
            .Append("[assembly: global::Stepwise.MigrationManifestAttribute(typeof(global::Stepwise.Generated.").Append(manifest).AppendLine("))]")
            .AppendLine()
            .AppendLine("namespace Stepwise.Generated")
            .AppendLine("{")
            .AppendLine("    [global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]")
            .Append("    internal sealed class ").Append(manifest).AppendLine(" : global::Stepwise.MigrationManifest")
            .AppendLine("    {")
            .AppendLine("        // One record per migration (see MigrationManifest): one string, so reading it compiles and loads nothing per migration.")
            .Append("        public ").Append(manifest).AppendLine("()")
            .AppendLine("            : base(");
        for (var i = 0; i < migrations.Length; i++)
        {
            var migration = migrations[i];

            // Partial declarations are hashed in a fixed order so that file order does not matter.
            var tokens = migration.Select(static p => p.Tokens).OrderBy(static t => t, StringComparer.Ordinal);
            var overrides = migration.Aggregate(0, static (all, part) => all | part.Overrides);
            var attributes = RecordedAttributes.Combine(migration.Select(static p => p.Attributes));
            var record = string.Join(RecordedAttributes.FieldSeparator,
                migration.First().FullName,
                Sha256Hex(string.Join("\u0002", tokens)),
                string.Join(" ", CheckedMethods.Where((_, index) => (overrides & (1 << index)) != 0)));
            if (attributes is not null)
            {
                record += RecordedAttributes.FieldSeparator + attributes;
            }

            var last = i == migrations.Length - 1;
            source.Append("                ")
                .Append(SymbolDisplay.FormatLiteral(last ? record : record + RecordedAttributes.RecordSeparator, quote: true))
                .AppendLine(last ? ")" : " +");
        }

        source
            .AppendLine("        {")
            .AppendLine("        }")
            .AppendLine()
            .AppendLine("        [return: global::System.Diagnostics.CodeAnalysis.DynamicallyAccessedMembers(")
            .AppendLine("            global::System.Diagnostics.CodeAnalysis.DynamicallyAccessedMemberTypes.PublicConstructors | global::System.Diagnostics.CodeAnalysis.DynamicallyAccessedMemberTypes.PublicMethods)]")
            .AppendLine("        public override global::System.Type Resolve(int index)")
            .AppendLine("        {")
            .AppendLine("            // One return per class: the trimming analysis checks each typeof against the annotation on its own.")
            .AppendLine("            switch (index)")
            .AppendLine("            {");
        for (var i = 0; i < migrations.Length; i++)
        {
            source.Append("                case ").Append(i).Append(": return typeof(").Append(migrations[i].Key).AppendLine(");");
        }

        source
            .AppendLine("                default: throw new global::System.ArgumentOutOfRangeException(nameof(index));")
            .AppendLine("            }")
            .AppendLine("        }")
            .AppendLine("    }")
            .AppendLine("}");
        context.AddSource(HintName, source.ToString());
    }

    private static string Identifier(string name)
    {
        var identifier = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            identifier.Append(char.IsLetterOrDigit(c) ? c : '_');
        }

        return identifier.ToString();
    }

    // A plain struct (not a record): netstandard2.0 lacks IsExternalInit. Equality keeps the pipeline cacheable.
    private readonly struct DeclarationPart : IEquatable<DeclarationPart>
    {
        public DeclarationPart(string typeName, string fullName, bool isMigration, bool isRunnable, string tokens, int overrides,
            RecordedAttributes.RecordedPart attributes)
        {
            Attributes = attributes;
            TypeName = typeName;
            FullName = fullName;
            IsMigration = isMigration;
            IsRunnable = isRunnable;
            Tokens = tokens;
            Overrides = overrides;
        }

        /// <summary>The class as typeof names it in the manifest.</summary>
        public string TypeName { get; }

        /// <summary>The class's <c>Type.FullName</c>.</summary>
        public string FullName { get; }

        public bool IsMigration { get; }

        public bool IsRunnable { get; }

        public string Tokens { get; }

        /// <summary>Bit i set: this part overrides <c>CheckedMethods[i]</c>.</summary>
        public int Overrides { get; }

        /// <summary>This part's Stepwise attributes, as arguments of the manifest entry.</summary>
        public RecordedAttributes.RecordedPart Attributes { get; }

        public bool Equals(DeclarationPart other) =>
            IsMigration == other.IsMigration && IsRunnable == other.IsRunnable && Overrides == other.Overrides &&
            string.Equals(TypeName, other.TypeName, StringComparison.Ordinal) && string.Equals(FullName, other.FullName, StringComparison.Ordinal) &&
            string.Equals(Tokens, other.Tokens, StringComparison.Ordinal) &&
            Attributes.Equals(other.Attributes);

        public override bool Equals(object? obj) => obj is DeclarationPart other && Equals(other);

        public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(TypeName) ^ StringComparer.Ordinal.GetHashCode(Tokens);
    }
}
