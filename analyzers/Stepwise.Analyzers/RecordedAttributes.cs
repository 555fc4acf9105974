using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Stepwise.Analyzers;

/// <summary>
/// Turns a migration class's Stepwise attributes into fields of its manifest record (see <c>MigrationManifest</c>), so
/// that the runner can take them from the manifest instead of reading them by reflection.
/// </summary>
/// <remarks>
/// Syntax only, like the rest of the generator: an attribute is recorded when every argument is a literal (or a member
/// of <c>MigrationPath</c>/<c>MigrationPhase</c>) in the shape of its constructor. Anything else (a constant defined
/// elsewhere, a named constructor argument, a null reason, an attribute of another library with the same name, a value
/// holding one of the record's separators) makes the whole class unrecorded, and the runner then reads its attributes
/// by reflection, as it always could.
/// </remarks>
internal static class RecordedAttributes
{
    /// <summary>Separates a manifest's records (one per migration).</summary>
    internal const string RecordSeparator = "\u001e";

    /// <summary>Separates a record's fields.</summary>
    internal const string FieldSeparator = "\u001f";

    private const string Absent = "\0";
    private const char ItemTerminator = '\u001d';
    private static readonly char[] Reserved = [Absent[0], ItemTerminator, RecordSeparator[0], FieldSeparator[0]];

    /// <summary>What one declaration part says: its [Migration] fields and those of the other attributes.</summary>
    public static RecordedPart Of(ClassDeclarationSyntax declaration)
    {
        string? migration = null;
        var others = new string?[OtherAttributes.Length];
        foreach (var list in declaration.AttributeLists)
        {
            foreach (var attribute in list.Attributes)
            {
                var (name, ours) = NameOf(attribute.Name);
                var slot = name is null ? -1 : Array.IndexOf(OtherAttributes, name);
                if (name != "Migration" && slot < 0)
                {
                    continue;
                }

                var repeated = name == "Migration" ? migration is not null : others[slot] is not null;
                var arguments = ours && !repeated ? Arguments.Of(attribute.ArgumentList) : null;
                var recorded = arguments is null ? null : name switch
                {
                    "Migration" => RecordMigration(arguments),
                    "Changes" => RecordChanges(arguments),
                    _ => RecordReason(arguments),
                };
                if (recorded is null)
                {
                    return RecordedPart.Unrecordable;
                }

                if (name == "Migration")
                {
                    migration = recorded;
                }
                else
                {
                    others[slot] = recorded;
                }
            }
        }

        return new RecordedPart(migration, string.Join(FieldSeparator, others.Select(static o => o ?? Absent)));
    }

    /// <summary>
    /// The record's fields after the checksum and declared overrides for a class made of these parts, or <c>null</c>
    /// when the class cannot be recorded (then the record ends there, and the runner reads the class).
    /// </summary>
    public static string? Combine(IEnumerable<RecordedPart> parts)
    {
        var all = parts.ToList();
        var migrations = all.Where(static p => p.Migration is not null).ToList();
        if (all.Any(static p => p.IsUnrecordable) || migrations.Count != 1)
        {
            return null;
        }

        // Each attribute may appear on one part only (C# refuses it twice on a class), so the parts' fields merge.
        var others = Enumerable.Repeat(Absent, OtherAttributes.Length).ToArray();
        foreach (var part in all)
        {
            var fields = part.Others.Split(FieldSeparator[0]);
            for (var i = 0; i < others.Length; i++)
            {
                if (fields[i] != Absent)
                {
                    others[i] = fields[i];
                }
            }
        }

        return migrations[0].Migration + FieldSeparator + string.Join(FieldSeparator, others);
    }

    private static readonly string[] OtherAttributes = ["NonTransactional", "Irreversible", "Changes"];

    private static readonly string[] MigrationProperties = ["Description", "Path", "From", "Phase"];

    // Version, order, description, path, from, phase.
    private static string? RecordMigration(Arguments arguments)
    {
        if (arguments.Positional.Count != 2 || StringOrNull(arguments.Positional[0]) is not { } version || Integer(arguments.Positional[1]) is not { } order)
        {
            return null;
        }

        var properties = new[] { Absent, "", Absent, "" };
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

            properties[Array.IndexOf(MigrationProperties, named.Key)] = value;
        }

        return string.Join(FieldSeparator, new[] { version, order }.Concat(properties));
    }

    // A null reason would read as no attribute at all; the runner reports it when it reads the class.
    private static string? RecordReason(Arguments arguments) =>
        arguments.Positional.Count == 1 && arguments.Named.Count == 0 && StringOrNull(arguments.Positional[0]) is { } reason && reason != Absent
            ? reason
            : null;

    private static string? RecordChanges(Arguments arguments)
    {
        if (arguments.Named.Count > 0)
        {
            return null;
        }

        var objects = new StringBuilder();
        foreach (var argument in arguments.Positional)
        {
            // null would be the whole params array, not one element: leave that to reflection.
            if (StringOrNull(argument) is not { } value || value == Absent)
            {
                return null;
            }

            objects.Append(value).Append(ItemTerminator);
        }

        return objects.ToString();
    }

    // The literal's value (regular, verbatim or raw), or Absent for null; null when it cannot be recorded.
    private static string? StringOrNull(ExpressionSyntax expression) => expression switch
    {
        LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.StringLiteralExpression) =>
            literal.Token.ValueText.IndexOfAny(Reserved) < 0 ? literal.Token.ValueText : null,
        LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.NullLiteralExpression) => Absent,
        _ => null,
    };

    private static string? Integer(ExpressionSyntax expression) => expression switch
    {
        LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.NumericLiteralExpression) && literal.Token.Value is int value =>
            value.ToString(CultureInfo.InvariantCulture),
        PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.UnaryMinusExpression, Operand: LiteralExpressionSyntax literal }
            when literal.Token.Value is int value => (-(long)value).ToString(CultureInfo.InvariantCulture),
        _ => null,
    };

    // MigrationPath.Upgrade, Stepwise.MigrationPath.Upgrade or global::Stepwise.MigrationPath.Upgrade: the member's name.
    private static string? EnumMember(ExpressionSyntax expression, string enumName) =>
        expression is MemberAccessExpressionSyntax { Name: IdentifierNameSyntax member } access && IsStepwiseName(access.Expression, enumName)
            ? member.Identifier.ValueText
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

        /// <summary>The [Migration] attribute's version, order, description, path, from and phase fields.</summary>
        public string? Migration { get; }

        /// <summary>The NonTransactional, Irreversible and Changes fields, absent for an attribute this part lacks.</summary>
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
