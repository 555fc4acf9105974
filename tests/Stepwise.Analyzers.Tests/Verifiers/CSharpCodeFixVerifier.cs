using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace Stepwise.Analyzers.Tests.Verifiers;

public static class CSharpCodeFixVerifier<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    public static DiagnosticResult Diagnostic(string id) => CSharpCodeFixVerifier<TAnalyzer, TCodeFix, DefaultVerifier>.Diagnostic(id);

    public static Task VerifyAnalyzerAsync(string source, params DiagnosticResult[] expected) =>
        CSharpAnalyzerVerifier<TAnalyzer>.VerifyAnalyzerAsync(source, expected);

    /// <summary>Applies the fix with <paramref name="equivalenceKey"/> and compares the result, diagnostics included.</summary>
    public static Task VerifyCodeFixAsync(string source, string fixedSource, string equivalenceKey, Action<Test>? configure = null)
    {
        var test = new Test { TestCode = source, FixedCode = fixedSource, CodeActionEquivalenceKey = equivalenceKey };
        TestProject.AddSupportSources(test.TestState, withProjectAttribute: true);
        TestProject.AddSupportSources(test.FixedState, withProjectAttribute: true);

        // A fix may leave a diagnostic of its own ID behind on purpose (a skeleton still fails its rule): read the
        // fixed code's markup as expected diagnostics instead of ignoring markup for fixable IDs.
        test.FixedState.MarkupHandling = MarkupMode.Allow;
        test.DisabledDiagnostics.AddRange(CSharpAnalyzerVerifier<TAnalyzer>.MethodWideRules);
        test.DisabledDiagnostics.AddRange(CSharpAnalyzerVerifier<TAnalyzer>.OptInRules);
        configure?.Invoke(test);
        return test.RunAsync(TestContext.Current.CancellationToken);
    }

    public sealed class Test : CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
    {
        public Test() => TestProject.Configure(this);
    }
}
