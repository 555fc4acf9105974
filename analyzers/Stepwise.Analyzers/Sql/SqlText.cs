using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace Stepwise.Analyzers.Sql;

/// <summary>
/// The SQL a call passes, as far as the compiler knows it, and the way back from a range of that SQL to source: exact
/// for a single string literal (regular, verbatim or raw), the whole argument otherwise (constants, concatenations,
/// interpolations).
/// </summary>
internal sealed class SqlText
{
    /// <summary>Stands for a value only known at run time, so the statement around it can still be checked.</summary>
    private const string Placeholder = "\"{…}\"";

    // A quoted identifier of Stepwise's own SqlIdentifier type: safe by construction, so not a non-constant hole.
    private const string IdentifierPlaceholder = "\"identifier\"";

    private readonly SyntaxTree _tree;
    private readonly TextSpan _fallback;
    private readonly int[]? _starts;
    private readonly int[]? _ends;

    private SqlText(string text, SyntaxTree tree, TextSpan fallback, int[]? starts, int[]? ends)
    {
        Text = text;
        _tree = tree;
        _fallback = fallback;
        _starts = starts;
        _ends = ends;
    }

    public string Text { get; }

    public Location LocationOf(int start, int end)
    {
        if (_starts is null || _ends is null || start < 0 || end > Text.Length || start >= end)
        {
            return Location.Create(_tree, _fallback);
        }

        return Location.Create(_tree, TextSpan.FromBounds(_starts[start], _ends[end - 1]));
    }

    /// <summary>
    /// Reads the SQL of an argument. <paramref name="nonConstant"/> is the first part that is not a compile-time
    /// constant, when the SQL is assembled by interpolation or concatenation. Null when nothing is known of the SQL.
    /// </summary>
    public static SqlText? From(IOperation value, CancellationToken cancellationToken, out SyntaxNode? nonConstant)
    {
        nonConstant = null;
        while (value is IConversionOperation { IsImplicit: true } conversion)
        {
            value = conversion.Operand;
        }

        var syntax = value.Syntax;
        if (value.ConstantValue is { HasValue: true, Value: string constant })
        {
            if (syntax is LiteralExpressionSyntax literal && TryMapLiteral(literal.Token, out var starts, out var ends, cancellationToken))
            {
                return new SqlText(constant, syntax.SyntaxTree, syntax.Span, starts, ends);
            }

            // A constant declared as one literal (const string UpSql = """..."""): findings point into that literal, at
            // the statement they are about, not at the call that names the constant.
            if (DeclaredLiteral(value, cancellationToken) is { } declared && TryMapLiteral(declared.Token, out starts, out ends, cancellationToken))
            {
                return new SqlText(constant, declared.SyntaxTree, declared.Span, starts, ends);
            }

            return new SqlText(constant, syntax.SyntaxTree, syntax.Span, null, null);
        }

        if (value is IInterpolatedStringOperation or IBinaryOperation { OperatorKind: BinaryOperatorKind.Add, Type.SpecialType: SpecialType.System_String })
        {
            var builder = new StringBuilder();
            SyntaxNode? firstNonConstant = null;
            Append(value, builder, ref firstNonConstant);
            nonConstant = firstNonConstant;
            return new SqlText(builder.ToString(), syntax.SyntaxTree, syntax.Span, null, null);
        }

        return null;
    }

    private static LiteralExpressionSyntax? DeclaredLiteral(IOperation value, CancellationToken cancellationToken)
    {
        ISymbol? symbol = value switch
        {
            IFieldReferenceOperation { Field.IsConst: true } field => field.Field,
            ILocalReferenceOperation { Local.IsConst: true } local => local.Local,
            _ => null,
        };
        if (symbol is null || symbol.DeclaringSyntaxReferences.Length != 1)
        {
            return null;
        }

        return symbol.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is VariableDeclaratorSyntax
        {
            Initializer.Value: LiteralExpressionSyntax literal,
        } && literal.IsKind(SyntaxKind.StringLiteralExpression)
            ? literal
            : null;
    }

    /// <summary>Reads the SQL of a string literal (regular, verbatim or raw) without the semantic model.</summary>
    public static SqlText FromLiteral(LiteralExpressionSyntax literal, CancellationToken cancellationToken) =>
        TryMapLiteral(literal.Token, out var starts, out var ends, cancellationToken)
            ? new SqlText(literal.Token.ValueText, literal.SyntaxTree, literal.Span, starts, ends)
            : new SqlText(literal.Token.ValueText, literal.SyntaxTree, literal.Span, null, null);

    private static void Append(IOperation operation, StringBuilder builder, ref SyntaxNode? firstNonConstant)
    {
        while (operation is IConversionOperation { IsImplicit: true } conversion)
        {
            operation = conversion.Operand;
        }

        if (operation.ConstantValue is { HasValue: true } constant)
        {
            builder.Append(Convert.ToString(constant.Value, CultureInfo.InvariantCulture));
            return;
        }

        switch (operation)
        {
            case IInterpolatedStringOperation interpolated:
                foreach (var part in interpolated.Parts)
                {
                    if (part is IInterpolatedStringTextOperation text)
                    {
                        Append(text.Text, builder, ref firstNonConstant);
                    }
                    else if (part is IInterpolationOperation hole)
                    {
                        Append(hole.Expression, builder, ref firstNonConstant);
                    }
                }

                break;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } binary:
                Append(binary.LeftOperand, builder, ref firstNonConstant);
                Append(binary.RightOperand, builder, ref firstNonConstant);
                break;
            default:
                if (IsSqlIdentifier(operation.Type))
                {
                    builder.Append(IdentifierPlaceholder);
                    break;
                }

                firstNonConstant ??= operation.Syntax;
                builder.Append(Placeholder);
                break;
        }
    }

    private static bool IsSqlIdentifier(ITypeSymbol? type)
    {
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            type = nullable.TypeArguments[0];
        }

        return type is not null && type.ToDisplayString() == KnownTypes.SqlIdentifier;
    }

    /// <summary>
    /// Maps each character of a string literal's value to the source text that spells it. Fails (and the caller falls
    /// back to the whole literal) for any form it does not recognise, or when the map does not reproduce the value.
    /// </summary>
    private static bool TryMapLiteral(SyntaxToken token, out int[] starts, out int[] ends, CancellationToken cancellationToken)
    {
        var text = token.Text;
        var map = new OffsetMap(token.SpanStart);
        if (token.IsKind(SyntaxKind.StringLiteralToken) && text.StartsWith("@\"", StringComparison.Ordinal))
        {
            for (var i = 2; i < text.Length - 1; i++)
            {
                var length = text[i] == '"' ? 2 : 1; // "" stands for one quote.
                map.Add(i, length);
                i += length - 1;
            }
        }
        else if (token.IsKind(SyntaxKind.StringLiteralToken) && text.StartsWith("\"", StringComparison.Ordinal))
        {
            for (var i = 1; i < text.Length - 1;)
            {
                var length = text[i] == '\\' ? EscapeLength(text, i) : 1;
                map.Add(i, length);
                if (length == 10 && i + length <= text.Length && text[i + 1] == 'U' &&
                    uint.TryParse(text.Substring(i + 2, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var codePoint) && codePoint > 0xFFFF)
                {
                    map.Add(i, length); // A surrogate pair: two chars, one escape.
                }

                i += length;
            }
        }
        else if (token.IsKind(SyntaxKind.SingleLineRawStringLiteralToken))
        {
            var quotes = CountQuotes(text);
            for (var i = quotes; i < text.Length - quotes; i++)
            {
                map.Add(i, 1);
            }
        }
        else if (token.IsKind(SyntaxKind.MultiLineRawStringLiteralToken))
        {
            MapMultiLineRaw(text, map);
        }

        starts = map.Starts.ToArray();
        ends = map.Ends.ToArray();
        var value = token.ValueText;
        var source = token.SyntaxTree?.GetText(cancellationToken);
        if (source is null || starts.Length != value.Length)
        {
            return false;
        }

        // Characters that are not escapes must read back as the value does.
        for (var k = 0; k < value.Length; k++)
        {
            if (ends[k] - starts[k] == 1 && source[starts[k]] != value[k])
            {
                return false;
            }
        }

        return true;
    }

    private static void MapMultiLineRaw(string text, OffsetMap map)
    {
        var quotes = CountQuotes(text);
        var closing = text.Length - quotes;
        var lastBreak = text.LastIndexOf('\n', closing - 1);
        var firstBreak = text.IndexOf('\n', quotes);
        if (lastBreak < 0 || firstBreak < 0 || lastBreak <= firstBreak)
        {
            return;
        }

        var indentation = closing - lastBreak - 1;
        var contentEnd = lastBreak > 0 && text[lastBreak - 1] == '\r' ? lastBreak - 1 : lastBreak;
        var i = firstBreak + 1;
        while (i < contentEnd)
        {
            // Each content line loses the closing line's indentation.
            var skipped = 0;
            while (skipped < indentation && i < contentEnd && text[i] is ' ' or '\t')
            {
                i++;
                skipped++;
            }

            while (i < contentEnd && text[i] != '\n')
            {
                map.Add(i++, 1);
            }

            if (i < contentEnd)
            {
                map.Add(i++, 1);
            }
        }
    }

    private static int CountQuotes(string text)
    {
        var n = 0;
        while (n < text.Length && text[n] == '"')
        {
            n++;
        }

        return n;
    }

    private static int EscapeLength(string text, int i)
    {
        if (i + 1 >= text.Length)
        {
            return 1;
        }

        switch (text[i + 1])
        {
            case 'u':
                return 6;
            case 'U':
                return 10;
            case 'x':
                var length = 2;
                while (length < 6 && i + length < text.Length - 1 && Uri.IsHexDigit(text[i + length]))
                {
                    length++;
                }

                return length;
            default:
                return 2;
        }
    }

    /// <summary>Where each character of a literal's value is spelled in the source.</summary>
    private sealed class OffsetMap
    {
        private readonly int _tokenStart;

        public OffsetMap(int tokenStart) => _tokenStart = tokenStart;

        public List<int> Starts { get; } = [];

        public List<int> Ends { get; } = [];

        /// <summary>The next value character is spelled by <paramref name="length"/> characters at <paramref name="offset"/> in the token.</summary>
        public void Add(int offset, int length)
        {
            Starts.Add(_tokenStart + offset);
            Ends.Add(_tokenStart + offset + length);
        }
    }
}
