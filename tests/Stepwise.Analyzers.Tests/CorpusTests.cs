using Stepwise.Testing;
using Verify = Stepwise.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Stepwise.Analyzers.Sql.PostgresSqlAnalyzer>;

namespace Stepwise.Analyzers.Tests;

/// <summary>
/// The SQL rules on realistic migrations (Corpus/*.cs.txt: extensions, function bodies, enum types, DO blocks, views,
/// partitions, comments everywhere), built as a team builds them: every rule on by default, hygiene off, and
/// project-config.yaml with a lock_timeout. Each file marks the exact diagnostics it must get, so a rule change that
/// adds noise (or loses a finding) fails here.
/// </summary>
public sealed class CorpusTests
{
    private const string ProjectConfig = "spec:\n  migration:\n    policies:\n      lock_timeout: 5s\n";

    private static readonly string Folder = Path.Combine(RepositoryLayout.Root, "tests", "Stepwise.Analyzers.Tests", "Corpus");

    public static TheoryData<string> Files => [.. Directory.GetFiles(Folder, "*.cs.txt").Select(f => Path.GetFileName(f)).Order()];

    [Theory]
    [MemberData(nameof(Files))]
    public Task Migration_GetsExactlyItsMarkedDiagnostics(string file) => Verify.VerifyAnalyzerAsync(
        File.ReadAllText(Path.Combine(Folder, file)),
        test =>
        {
            test.DisabledDiagnostics.Clear();
            test.DisabledDiagnostics.AddRange(Verify.OptInRules);
            test.TestState.AdditionalFiles.Add(("/0/project-config.yaml", ProjectConfig));
        });
}
