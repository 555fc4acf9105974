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

    /// <summary>
    /// Rules about a whole method rather than one statement, off unless a test asks for them, so that each rule's tests
    /// show only that rule: SW2022 (a lock_timeout before the first DDL) would otherwise join every ALTER TABLE test, and
    /// SW2037 (a concurrent index dropped before it is built again) every CREATE INDEX CONCURRENTLY test.
    /// </summary>
    public static readonly string[] MethodWideRules = ["SW2022", "SW2037"];

    /// <summary>The opt-in schema-hygiene rules: off in a real build until .editorconfig turns them on, and off here too.</summary>
    public static readonly string[] OptInRules = ["SW2038", "SW2039", "SW2040", "SW2041", "SW2042", "SW2043", "SW2044", "SW2045"];

    /// <summary>Runs the analyzer with one rule that is off by default (<see cref="MethodWideRules"/>, <see cref="OptInRules"/>) turned on.</summary>
    public static Task VerifyWithRuleAsync(string ruleId, string source, string? projectConfig = null) =>
        VerifyAnalyzerAsync(source, test =>
        {
            test.DisabledDiagnostics.Remove(ruleId);
            if (projectConfig is not null)
            {
                test.TestState.AdditionalFiles.Add(("/0/project-config.yaml", projectConfig));
            }
        });

    public static Task VerifyAnalyzerAsync(string source, Action<Test>? configure, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = source };
        test.DisabledDiagnostics.AddRange(MethodWideRules);
        test.DisabledDiagnostics.AddRange(OptInRules);
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
