using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace Stepwise.Analyzers.Tests.Verifiers;

public static class CSharpAnalyzerVerifier<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public static DiagnosticResult Diagnostic(string id) => CSharpAnalyzerVerifier<TAnalyzer, DefaultVerifier>.Diagnostic(id);

    public static Task VerifyAnalyzerAsync(string source, params DiagnosticResult[] expected) =>
        VerifyAnalyzerAsync(source, projectConfig: null, withProjectAttribute: true, expected);

    public static Task VerifyAnalyzerAsync(string source, string? projectConfig, bool withProjectAttribute, params DiagnosticResult[] expected)
    {
        var test = new Test(withProjectAttribute) { TestCode = source };
        if (projectConfig is not null)
        {
            test.TestState.AdditionalFiles.Add(("/0/project-config.yaml", projectConfig));
        }

        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(TestContext.Current.CancellationToken);
    }

    public sealed class Test : CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
    {
        public Test(bool withProjectAttribute = true) => TestProject.Configure(this, withProjectAttribute);
    }
}
