using System.Collections.Generic;
using System.Linq;
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
/// Syntactic, so it answers for overrides inherited from other source types without a semantic model; the names it
/// looks for (<c>CompletedTask</c>, <c>FromResult</c>, <c>Yield</c>) are specific enough in a migration. A call to a
/// method of this compilation (<c>Down =&gt; Rollback.NotSupported("…")</c>) is judged by that method's own body, a few
/// calls deep, when the caller can say which declarations the call may reach (<see cref="Callees"/>).
/// </remarks>
internal static class MethodBodyClassifier
{
    /// <summary>The declarations a call may reach in this compilation; <c>null</c> when it cannot be told from syntax.</summary>
    public delegate IReadOnlyList<MethodDeclarationSyntax>? Callees(InvocationExpressionSyntax invocation);

    private const int MaxCallDepth = 3;

    public static bool HasRealBody(MethodDeclarationSyntax method, Callees? callees = null) => !IsPlaceholder(method, new Judge(callees, 0));

    /// <summary>
    /// Whether a check (<c>Validate</c>, <c>PreCheck</c>) can fail: it uses its context parameter (reads the database),
    /// calls a <c>Require…</c> check, throws under a condition, returns a faulted task, or calls a helper of the project
    /// that does one of these (up to three calls deep). A check that only logs or computes can never refuse a step.
    /// </summary>
    public static bool CanFail(MethodDeclarationSyntax method, Callees? callees = null) => CanFail(method, new Judge(callees, 0));

    private static bool CanFail(MethodDeclarationSyntax method, Judge judge)
    {
        var context = method.ParameterList.Parameters.FirstOrDefault()?.Identifier.ValueText;
        foreach (var node in method.DescendantNodes())
        {
            switch (node)
            {
                case IdentifierNameSyntax identifier when identifier.Identifier.ValueText == context:
                    return true;
                case InvocationExpressionSyntax invocation when SyntaxNames.CalledName(invocation.Expression).StartsWith("Require", System.StringComparison.Ordinal)
                                                                 || SyntaxNames.CalledName(invocation.Expression) == "FromException":
                    return true;
                case ThrowStatementSyntax or ThrowExpressionSyntax when IsConditional(node, method):
                    return true;
                case InvocationExpressionSyntax invocation when judge.Callees is not null && judge.Depth < MaxCallDepth &&
                                                                judge.Callees(invocation) is { Count: > 0 } callees &&
                                                                callees.Any(c => CanFail(c, new Judge(judge.Callees, judge.Depth + 1))):
                    return true;
            }
        }

        return false;
    }

    // A throw that depends on something: inside an if, a switch, a conditional expression, a ?? or a catch.
    private static bool IsConditional(SyntaxNode node, MethodDeclarationSyntax method)
    {
        for (var current = node.Parent; current is not null && current != method; current = current.Parent)
        {
            if (current is IfStatementSyntax or SwitchSectionSyntax or SwitchExpressionArmSyntax or ConditionalExpressionSyntax or CatchClauseSyntax ||
                (current is BinaryExpressionSyntax binary && binary.IsKind(SyntaxKind.CoalesceExpression)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsPlaceholder(MethodDeclarationSyntax method, Judge judge)
    {
        var name = method.Identifier.ValueText;
        if (method.ExpressionBody is { } arrow)
        {
            return IsPlaceholderExpression(arrow.Expression, name, judge);
        }

        return method.Body is not { } body || IsPlaceholderBlock(body, name, judge);
    }

    private static bool IsPlaceholderBlock(BlockSyntax block, string name, Judge judge)
    {
        foreach (var statement in block.Statements)
        {
            if (!IsPlaceholderStatement(statement, name, judge))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsPlaceholderStatement(StatementSyntax statement, string name, Judge judge) => statement switch
    {
        EmptyStatementSyntax => true,
        BlockSyntax block => IsPlaceholderBlock(block, name, judge),
        ReturnStatementSyntax r => r.Expression is null || IsPlaceholderExpression(r.Expression, name, judge),
        ThrowStatementSyntax => true,
        ExpressionStatementSyntax e => IsPlaceholderExpression(e.Expression, name, judge),
        LocalFunctionStatementSyntax => true,
        _ => false,
    };

    private static bool IsPlaceholderExpression(ExpressionSyntax expression, string name, Judge judge)
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
                return IsPlaceholderExpression(awaited.Expression, name, judge);
            case MemberAccessExpressionSyntax member:
                return member.Name.Identifier.ValueText == "CompletedTask";
            case IdentifierNameSyntax identifier:
                return identifier.Identifier.ValueText == "CompletedTask";
            case InvocationExpressionSyntax invocation:
                return IsPlaceholderCall(invocation, name, judge) || CallsOnlyPlaceholders(invocation, judge);
            default:
                return false;
        }
    }

    // A helper of this compilation whose every declaration the call may reach only completes or throws.
    private static bool CallsOnlyPlaceholders(InvocationExpressionSyntax invocation, Judge judge)
    {
        if (judge.Callees is null || judge.Depth >= MaxCallDepth || judge.Callees(invocation) is not { Count: > 0 } declarations)
        {
            return false;
        }

        var deeper = new Judge(judge.Callees, judge.Depth + 1);
        return declarations.All(declaration => IsPlaceholder(declaration, deeper));
    }

    private static bool IsPlaceholderCall(InvocationExpressionSyntax invocation, string name, Judge judge)
    {
        if (invocation.Expression is not MemberAccessExpressionSyntax member)
        {
            return false;
        }

        var called = member.Name.Identifier.ValueText;
        return called switch
        {
            // x.ConfigureAwait(false): as trivial as x.
            "ConfigureAwait" => IsPlaceholderExpression(member.Expression, name, judge),
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

    private sealed class Judge(Callees? callees, int depth)
    {
        public Callees? Callees { get; } = callees;

        public int Depth { get; } = depth;
    }
}
