using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Stepwise.Analyzers.Contract;

/// <summary>
/// Tells a real body from a placeholder. A body is a placeholder when every statement in it only completes
/// (<c>{ }</c>, <c>return Task.CompletedTask;</c>, <c>await Task.Yield();</c>, a call to the base member, a cancellation
/// check) or throws unconditionally (<c>throw new NotImplementedException()</c> and any other exception: a body that
/// always throws neither checks nor reverts anything).
/// </summary>
/// <remarks>
/// Purely syntactic, so it answers for overrides inherited from other source types without a semantic model;
/// the names it looks for (<c>CompletedTask</c>, <c>FromResult</c>, <c>Yield</c>) are specific enough in a migration.
/// </remarks>
internal static class MethodBodyClassifier
{
    public static bool HasRealBody(MethodDeclarationSyntax method)
    {
        var name = method.Identifier.ValueText;
        if (method.ExpressionBody is { } arrow)
        {
            return !IsPlaceholderExpression(arrow.Expression, name);
        }

        return method.Body is { } body && !IsPlaceholderBlock(body, name);
    }

    private static bool IsPlaceholderBlock(BlockSyntax block, string name)
    {
        foreach (var statement in block.Statements)
        {
            if (!IsPlaceholderStatement(statement, name))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsPlaceholderStatement(StatementSyntax statement, string name) => statement switch
    {
        EmptyStatementSyntax => true,
        BlockSyntax block => IsPlaceholderBlock(block, name),
        ReturnStatementSyntax r => r.Expression is null || IsPlaceholderExpression(r.Expression, name),
        ThrowStatementSyntax => true,
        ExpressionStatementSyntax e => IsPlaceholderExpression(e.Expression, name),
        LocalFunctionStatementSyntax => true,
        _ => false,
    };

    private static bool IsPlaceholderExpression(ExpressionSyntax expression, string name)
    {
        expression = Unwrap(expression);
        switch (expression)
        {
            case ThrowExpressionSyntax:
                return true;
            case LiteralExpressionSyntax literal:
                return literal.IsKind(SyntaxKind.NullLiteralExpression) || literal.IsKind(SyntaxKind.DefaultLiteralExpression);
            case DefaultExpressionSyntax:
                return true;
            case AwaitExpressionSyntax awaited:
                return IsPlaceholderExpression(awaited.Expression, name);
            case MemberAccessExpressionSyntax member:
                return member.Name.Identifier.ValueText == "CompletedTask";
            case IdentifierNameSyntax identifier:
                return identifier.Identifier.ValueText == "CompletedTask";
            case InvocationExpressionSyntax invocation:
                return IsPlaceholderCall(invocation, name);
            default:
                return false;
        }
    }

    private static bool IsPlaceholderCall(InvocationExpressionSyntax invocation, string name)
    {
        if (invocation.Expression is not MemberAccessExpressionSyntax member)
        {
            return false;
        }

        var called = member.Name.Identifier.ValueText;
        return called switch
        {
            // x.ConfigureAwait(false): as trivial as x.
            "ConfigureAwait" => IsPlaceholderExpression(member.Expression, name),
            "ThrowIfCancellationRequested" => true,
            "FromResult" or "Yield" => IsTaskType(member.Expression),
            // base.Down(db, ct): the base's default, i.e. no implementation of this migration's own.
            _ => member.Expression is BaseExpressionSyntax && called == name,
        };
    }

    private static bool IsTaskType(ExpressionSyntax expression) => Unwrap(expression) switch
    {
        IdentifierNameSyntax identifier => identifier.Identifier.ValueText == "Task",
        MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText == "Task",
        AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText == "Task",
        QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText == "Task",
        _ => false,
    };

    private static ExpressionSyntax Unwrap(ExpressionSyntax expression)
    {
        while (true)
        {
            switch (expression)
            {
                case ParenthesizedExpressionSyntax parenthesized:
                    expression = parenthesized.Expression;
                    break;
                case CastExpressionSyntax cast:
                    expression = cast.Expression;
                    break;
                case PostfixUnaryExpressionSyntax suppressed when suppressed.IsKind(SyntaxKind.SuppressNullableWarningExpression):
                    expression = suppressed.Operand;
                    break;
                default:
                    return expression;
            }
        }
    }
}
