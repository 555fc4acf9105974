using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace Stepwise.Analyzers.Tests.Verifiers;

public static class CSharpAnalyzerVerifier<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public static DiagnosticResult Diagnostic(string id) => CSharpAnalyzerVerifier<TAnalyzer, DefaultVerifier>.Diagnostic(id);

    public static Task VerifyAnalyzerAsync(string source, params DiagnosticResult[] expected) =>
        VerifyAnalyzerAsync(source, configure: null, expected);

    /// <summary>Runs the analyzer with project-config.yaml given to the compiler as an AdditionalFile.</summary>
    public static Task VerifyWithPolicyAsync(string projectConfig, string source, params DiagnosticResult[] expected) =>
        VerifyAnalyzerAsync(source, test => test.TestState.AdditionalFiles.Add(("/0/project-config.yaml", projectConfig)), expected);

    public static Task VerifyAnalyzerAsync(string source, Action<Test>? configure, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = source };
        TestProject.AddSupportSources(test.TestState, withProjectAttribute: true);
        configure?.Invoke(test);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Runs the analyzer on an assembly without [assembly: MigrationProject].</summary>
    public static Task VerifyWithoutProjectAttributeAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = source };
        TestProject.AddSupportSources(test.TestState, withProjectAttribute: false);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(TestContext.Current.CancellationToken);
    }

    public sealed class Test : CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
    {
        public Test() => TestProject.Configure(this);
    }
}
