using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Stepwise.Analyzers;

/// <summary>
/// Turns a migration class's Stepwise attributes into arguments of the manifest entry's constructor, so that the
/// runner can take them from the manifest instead of reading them by reflection.
/// </summary>
/// <remarks>
/// Syntax only, like the rest of the generator: an attribute is recorded when every argument is a literal (or a member
/// of <c>MigrationPath</c>/<c>MigrationPhase</c>) in the shape of its constructor. Anything else (a constant defined
/// elsewhere, a named constructor argument, a null reason, an attribute of another library with the same name) makes
/// the whole class unrecorded, and the runner then reads its attributes by reflection, as it always could.
/// </remarks>
internal static class RecordedAttributes
{
    /// <summary>What one declaration part says: its [Migration] arguments and the other attributes' named arguments.</summary>
    public static RecordedPart Of(ClassDeclarationSyntax declaration)
    {
        string? migration = null;
        var others = new List<string>();
        foreach (var list in declaration.AttributeLists)
        {
            foreach (var attribute in list.Attributes)
            {
                var (name, ours) = NameOf(attribute.Name);
                if (name is null || !Recorders.TryGetValue(name, out var record))
                {
                    continue;
                }

                var repeated = name == "Migration" && migration is not null;
                var arguments = ours && !repeated ? Arguments.Of(attribute.ArgumentList) : null;
                if (arguments is null || record(arguments) is not { } recorded)
                {
                    return RecordedPart.Unrecordable;
                }

                if (name == "Migration")
                {
                    migration = recorded;
                }
                else
                {
                    others.Add(recorded);
                }
            }
        }

        return new RecordedPart(migration, string.Join(", ", others));
    }

    /// <summary>
    /// The constructor arguments after the checksum and declared overrides for a class made of these parts, or
    /// <c>null</c> when the class cannot be recorded (then the entry takes none, and the runner reads the class).
    /// </summary>
    public static string? Combine(IEnumerable<RecordedPart> parts)
    {
        var all = parts.ToList();
        var migrations = all.Where(static p => p.Migration is not null).ToList();
        if (all.Any(static p => p.IsUnrecordable) || migrations.Count != 1)
        {
            return null;
        }

        return string.Join(", ", new[] { migrations[0].Migration! }.Concat(all.Select(static p => p.Others).Where(static o => o.Length > 0)));
    }

    private delegate string? Recorder(Arguments arguments);

    private static readonly Dictionary<string, Recorder> Recorders = new()
    {
        ["Migration"] = RecordMigration,
        ["NonTransactional"] = a => RecordReason("nonTransactional", a),
        ["Irreversible"] = a => RecordReason("irreversible", a),
        ["Changes"] = RecordChanges,
    };

    private static string? RecordMigration(Arguments arguments)
    {
        if (arguments.Positional.Count != 2 || StringOrNull(arguments.Positional[0]) is not { } version || Integer(arguments.Positional[1]) is not { } order)
        {
            return null;
        }

        var recorded = new List<string> { version, order };
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

            recorded.Add(char.ToLowerInvariant(named.Key[0]) + named.Key.Substring(1) + ": " + value);
        }

        return string.Join(", ", recorded);
    }

    // A null reason would read as no attribute at all; the runner reports it when it reads the class.
    private static string? RecordReason(string parameter, Arguments arguments) =>
        arguments.Positional.Count == 1 && arguments.Named.Count == 0 && StringOrNull(arguments.Positional[0]) is { } reason && reason != "null"
            ? parameter + ": " + reason
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

        return "changes: new string[] { " + string.Join(", ", objects) + " }";
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
        return simple is not null && simple.EndsWith(Suffix, StringComparison.Ordinal)
            ? (simple.Substring(0, simple.Length - Suffix.Length), ours)
            : (simple, ours);
    }

    /// <summary>What one declaration part records: <see cref="Migration"/> is <c>null</c> when the part has no [Migration].</summary>
    internal readonly struct RecordedPart : IEquatable<RecordedPart>
    {
        public static readonly RecordedPart Unrecordable = new(null, string.Empty, unrecordable: true);

        public RecordedPart(string? migration, string others, bool unrecordable = false)
        {
            Migration = migration;
            Others = others;
            IsUnrecordable = unrecordable;
        }

        /// <summary>The version, the order, then the [Migration] attribute's named arguments as named constructor arguments.</summary>
        public string? Migration { get; }

        /// <summary>The other attributes as named constructor arguments, joined with ", ".</summary>
        public string Others { get; }

        public bool IsUnrecordable { get; }

        public bool Equals(RecordedPart other) =>
            IsUnrecordable == other.IsUnrecordable && string.Equals(Migration, other.Migration, StringComparison.Ordinal) &&
            string.Equals(Others, other.Others, StringComparison.Ordinal);

        public override bool Equals(object? obj) => obj is RecordedPart other && Equals(other);

        public override int GetHashCode() => (Migration is null ? 0 : StringComparer.Ordinal.GetHashCode(Migration)) ^ StringComparer.Ordinal.GetHashCode(Others);
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
