using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Stepwise.Analyzers;

/// <summary>
/// Rewrites a migration class's Stepwise attributes as C# expressions that build the same attribute objects, so that
/// the runner can take them from the manifest instead of reading them by reflection.
/// </summary>
/// <remarks>
/// Syntax only, like the rest of the generator: an attribute is recorded when every argument is a literal (or a member
/// of <c>MigrationPath</c>/<c>MigrationPhase</c>) in the shape of its constructor. Anything else (a constant defined
/// elsewhere, a named constructor argument, an attribute of another library with the same name) makes the whole class
/// unrecorded, and the runner then reads its attributes by reflection, as it always could.
/// </remarks>
internal static class RecordedAttributes
{
    /// <summary>
    /// The expressions for the Stepwise attributes on one declaration part, joined with ", " (empty when it has none),
    /// or <c>null</c> when one of them cannot be recorded.
    /// </summary>
    public static string? Of(ClassDeclarationSyntax declaration)
    {
        var recorded = new List<string>();
        foreach (var list in declaration.AttributeLists)
        {
            foreach (var attribute in list.Attributes)
            {
                var (name, ours) = NameOf(attribute.Name);
                if (name is null || !Recorders.TryGetValue(name, out var record))
                {
                    continue;
                }

                var expression = ours && Arguments.Of(attribute.ArgumentList) is { } arguments ? record(arguments) : null;
                if (expression is null)
                {
                    return null;
                }

                recorded.Add(expression);
            }
        }

        return string.Join(", ", recorded);
    }

    private delegate string? Recorder(Arguments arguments);

    private static readonly Dictionary<string, Recorder> Recorders = new()
    {
        ["Migration"] = RecordMigration,
        ["NonTransactional"] = a => RecordReason("NonTransactionalAttribute", a),
        ["Irreversible"] = a => RecordReason("IrreversibleAttribute", a),
        ["Changes"] = RecordChanges,
    };

    private static string? RecordMigration(Arguments arguments)
    {
        if (arguments.Positional.Count != 2 || StringOrNull(arguments.Positional[0]) is not { } version || Integer(arguments.Positional[1]) is not { } order)
        {
            return null;
        }

        var initializers = new List<string>();
        foreach (var named in arguments.Named)
        {
            var value = named.Key switch
            {
                "Description" or "From" => StringOrNull(named.Value),
                "Path" => EnumMember(named.Value, "MigrationPath"),
                "Phase" => EnumMember(named.Value, "MigrationPhase"),
                _ => null,
            };
            if (value is null)
            {
                return null;
            }

            initializers.Add(named.Key + " = " + value);
        }

        var construction = $"new global::Stepwise.MigrationAttribute({version}, {order})";
        return initializers.Count == 0 ? construction : construction + " { " + string.Join(", ", initializers) + " }";
    }

    private static string? RecordReason(string type, Arguments arguments) =>
        arguments.Positional.Count == 1 && arguments.Named.Count == 0 && StringOrNull(arguments.Positional[0]) is { } reason
            ? $"new global::Stepwise.{type}({reason})"
            : null;

    private static string? RecordChanges(Arguments arguments)
    {
        if (arguments.Named.Count > 0)
        {
            return null;
        }

        var objects = new List<string>();
        foreach (var argument in arguments.Positional)
        {
            // null would be the whole params array, not one element: leave that to reflection.
            if (argument is not LiteralExpressionSyntax literal || !literal.IsKind(SyntaxKind.StringLiteralExpression))
            {
                return null;
            }

            objects.Add(literal.Token.Text);
        }

        return $"new global::Stepwise.ChangesAttribute({string.Join(", ", objects)})";
    }

    // The literal as written (regular, verbatim or raw): the generated code then holds exactly the same value.
    private static string? StringOrNull(ExpressionSyntax expression) => expression switch
    {
        LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.StringLiteralExpression) => literal.Token.Text,
        LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.NullLiteralExpression) => "null",
        _ => null,
    };

    private static string? Integer(ExpressionSyntax expression) => expression switch
    {
        LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.NumericLiteralExpression) && literal.Token.Value is int => literal.Token.Text,
        PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.UnaryMinusExpression, Operand: LiteralExpressionSyntax literal }
            when literal.Token.Value is int => "-" + literal.Token.Text,
        _ => null,
    };

    // MigrationPath.Upgrade, Stepwise.MigrationPath.Upgrade or global::Stepwise.MigrationPath.Upgrade.
    private static string? EnumMember(ExpressionSyntax expression, string enumName) =>
        expression is MemberAccessExpressionSyntax { Name: IdentifierNameSyntax member } access && IsStepwiseName(access.Expression, enumName)
            ? $"global::Stepwise.{enumName}.{member.Identifier.ValueText}"
            : null;

    private static bool IsStepwiseName(ExpressionSyntax expression, string name) => expression switch
    {
        IdentifierNameSyntax simple => simple.Identifier.ValueText == name,
        MemberAccessExpressionSyntax { Name: IdentifierNameSyntax right } qualified => right.Identifier.ValueText == name && IsStepwiseNamespace(qualified.Expression),
        _ => false,
    };

    private static bool IsStepwiseNamespace(ExpressionSyntax expression) => expression switch
    {
        IdentifierNameSyntax simple => simple.Identifier.ValueText == "Stepwise",
        AliasQualifiedNameSyntax alias => alias.Alias.Identifier.IsKind(SyntaxKind.GlobalKeyword) && alias.Name.Identifier.ValueText == "Stepwise",
        _ => false,
    };

    // The attribute's short name without "Attribute", and whether it can only be Stepwise's: written bare, or
    // qualified with the Stepwise namespace.
    private static (string? Name, bool Ours) NameOf(NameSyntax name)
    {
        var (simple, ours) = name switch
        {
            IdentifierNameSyntax identifier => (identifier.Identifier.ValueText, true),
            QualifiedNameSyntax qualified => (qualified.Right.Identifier.ValueText, IsStepwiseNamespace(qualified.Left)),
            AliasQualifiedNameSyntax alias => (alias.Name.Identifier.ValueText, false),
            _ => ((string?)null, false),
        };

        const string Suffix = "Attribute";
        return simple is not null && simple.EndsWith(Suffix, System.StringComparison.Ordinal)
            ? (simple.Substring(0, simple.Length - Suffix.Length), ours)
            : (simple, ours);
    }

    /// <summary>An attribute's arguments: positional in order, then named (<c>Name = value</c>).</summary>
    private sealed class Arguments
    {
        private Arguments(List<ExpressionSyntax> positional, List<KeyValuePair<string, ExpressionSyntax>> named)
        {
            Positional = positional;
            Named = named;
        }

        public List<ExpressionSyntax> Positional { get; }

        public List<KeyValuePair<string, ExpressionSyntax>> Named { get; }

        /// <summary>The arguments, or <c>null</c> when one names a constructor parameter (which may reorder them).</summary>
        public static Arguments? Of(AttributeArgumentListSyntax? list)
        {
            var positional = new List<ExpressionSyntax>();
            var named = new List<KeyValuePair<string, ExpressionSyntax>>();
            foreach (var argument in list?.Arguments ?? default)
            {
                if (argument.NameEquals is { } equals)
                {
                    named.Add(new KeyValuePair<string, ExpressionSyntax>(equals.Name.Identifier.ValueText, argument.Expression));
                }
                else if (argument.NameColon is not null)
                {
                    return null;
                }
                else
                {
                    positional.Add(argument.Expression);
                }
            }

            return new Arguments(positional, named);
        }
    }
}
