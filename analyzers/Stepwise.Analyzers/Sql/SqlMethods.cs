using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Stepwise.Analyzers.Sql;

/// <summary>
/// The methods of <c>PostgresContext</c> that take SQL (a <c>string sql</c> parameter), and the position of that
/// parameter, so that the usual call can be recognised without binding the method body around it.
/// </summary>
internal sealed class SqlMethods
{
    // Name -> position of the sql parameter; -1 when the overloads disagree and only overload resolution can tell.
    private readonly Dictionary<string, int> _sqlOrdinals;

    private SqlMethods(INamedTypeSymbol context, Dictionary<string, int> sqlOrdinals)
    {
        Context = context;
        _sqlOrdinals = sqlOrdinals;
    }

    public INamedTypeSymbol Context { get; }

    public static SqlMethods Of(INamedTypeSymbol context)
    {
        var ordinals = new Dictionary<string, int>(System.StringComparer.Ordinal);
        foreach (var group in context.GetMembers().OfType<IMethodSymbol>().GroupBy(m => m.Name))
        {
            var positions = group.Select(m => PostgresSqlAnalyzer.SqlParameter(m)?.Ordinal ?? -1).Distinct().ToList();
            if (positions.Any(p => p >= 0))
            {
                ordinals[group.Key] = positions.Count == 1 ? positions[0] : -1;
            }
        }

        return new SqlMethods(context, ordinals);
    }

    public bool Contains(string methodName) => _sqlOrdinals.ContainsKey(methodName);

    /// <summary>
    /// The SQL string literal of <c>db.Method("...", ...)</c>, where <c>db</c> is a parameter of the enclosing method
    /// declared as the context and every overload of <c>Method</c> takes SQL at that position. Null for every other
    /// shape (constants, interpolation, a field or a lambda parameter as receiver), which the caller binds instead.
    /// </summary>
    public LiteralExpressionSyntax? LiteralSqlOf(InvocationExpressionSyntax invocation, SemanticModel model, CancellationToken cancellationToken)
    {
        if (invocation.Expression is not MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax receiver } member ||
            !member.IsKind(SyntaxKind.SimpleMemberAccessExpression) ||
            !_sqlOrdinals.TryGetValue(member.Name.Identifier.ValueText, out var ordinal) || ordinal < 0 ||
            SqlArgument(invocation.ArgumentList.Arguments, ordinal) is not { Expression: LiteralExpressionSyntax literal } ||
            !literal.IsKind(SyntaxKind.StringLiteralExpression) ||
            !IsContextParameter(receiver, model, cancellationToken))
        {
            return null;
        }

        return literal;
    }

    /// <summary>The argument given for the <c>string sql</c> parameter at <paramref name="ordinal"/>, by name or by position.</summary>
    public static ArgumentSyntax? SqlArgument(SeparatedSyntaxList<ArgumentSyntax> arguments, int ordinal)
    {
        foreach (var argument in arguments)
        {
            if (argument.NameColon?.Name.Identifier.ValueText == "sql")
            {
                return argument;
            }
        }

        return ordinal < arguments.Count && arguments[ordinal].NameColon is null ? arguments[ordinal] : null;
    }

    // Only a parameter of the method the call is written in: a lambda or local function in between may declare a
    // parameter or local of the same name (C# lets nested functions shadow), which syntax alone cannot rule out.
    private bool IsContextParameter(IdentifierNameSyntax receiver, SemanticModel model, CancellationToken cancellationToken)
    {
        for (var node = receiver.Parent; node is not null; node = node.Parent)
        {
            switch (node)
            {
                case AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax:
                    return false;
                case BaseMethodDeclarationSyntax method:
                    foreach (var parameter in method.ParameterList.Parameters)
                    {
                        if (parameter.Identifier.ValueText == receiver.Identifier.ValueText)
                        {
                            return model.GetDeclaredSymbol(parameter, cancellationToken) is { } symbol &&
                                SymbolEqualityComparer.Default.Equals(symbol.Type.OriginalDefinition, Context);
                        }
                    }

                    return false;
                case MemberDeclarationSyntax:
                    return false;
            }
        }

        return false;
    }
}
