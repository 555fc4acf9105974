using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Stepwise.Analyzers;

/// <summary>Names read from syntax alone, before (or instead of) binding.</summary>
internal static class SyntaxNames
{
    /// <summary>The name a call calls: <c>Name</c> of <c>x.Name(...)</c>, <c>x?.Name(...)</c>, <c>Name(...)</c> or <c>Name&lt;T&gt;(...)</c>.</summary>
    public static string CalledName(ExpressionSyntax expression) => expression switch
    {
        MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
        MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
        SimpleNameSyntax name => name.Identifier.ValueText,
        _ => string.Empty,
    };
}
