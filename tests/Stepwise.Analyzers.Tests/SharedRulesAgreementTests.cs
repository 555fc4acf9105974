using Stepwise.Analyzers.Policy;
using Stepwise.Catalog;
using Stepwise.Configuration;
using Stepwise.Versioning;

namespace Stepwise.Analyzers.Tests;

// The build and the runner judge the same inputs the same way: what the build accepts the runner runs, and what the
// build obeys the runner enforces. Each side is asked through its own entry point.
public sealed class SharedRulesAgreementTests
{
    public static readonly TheoryData<string> Versions = new(
        "1.0.0", "v1.0.0", "V2.10.3", "1.0.0-rc.1", "1.0.0-alpha.beta.2", "1.0", "1", "1.0.0.0", "01.0.0", "1.00.0", "1.0.0-01",
        "1.0.0+build.5", "1.0.0-rc.1+sha.abc", " 1.0.0", "1.0.0 ", "v", "", "1.0.0-", "1.0.0-rc..1", "vv1.0.0", "1.0.0-ß");

    [Theory]
    [MemberData(nameof(Versions))]
    public void Version_IsReadTheSameByTheBuildAndTheRunner(string text)
    {
        var build = SemanticVersion.Normalize(text);
        var runner = ProjectVersion.TryParse(text, out var version, out _) ? version.ToString() : null;

        Assert.Equal(runner, build);
    }

    [Fact]
    public void Versions_AreOrderedTheSameByTheBuildAndTheRunner()
    {
        string[] versions = ["1.0.0-rc.10", "1.0.0", "1.0.0-rc.2", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta.11", "1.0.0-beta.2",
            "1.0.0-beta", "1.0.0-1", "1.0.0-rc.1", "0.9.9", "1.0.1-0", "1.10.0", "1.2.0"];

        var build = versions.Select(v => SemanticVersion.Normalize(v)!).Order(SemanticVersion.Comparer).ToList();
        var runner = versions.Select(v => ProjectVersion.Parse(v)).Order().Select(v => v.ToString()).ToList();

        Assert.Equal(runner, build);
    }

    [Theory]
    [InlineData("e-commerce-api")]
    [InlineData("ledger")]
    [InlineData("a.b_c-d")]
    [InlineData("a--b")]
    [InlineData("trailing-")]
    [InlineData("-leading")]
    [InlineData("Upper")]
    [InlineData("with space")]
    [InlineData("")]
    [InlineData("abcdefghij-abcdefghij-abcdefghij-abcdefghij-abcdefghij-abcdefgh")]
    [InlineData("abcdefghij-abcdefghij-abcdefghij-abcdefghij-abcdefghij-abcdefghi")]
    public void ProjectName_IsJudgedTheSameByTheBuildAndTheRunner(string name) =>
        Assert.Equal(MigrationDiscovery.IsValidProjectName(name), ProjectName.IsValid(name));

    [Theory]
    [InlineData("")]
    [InlineData("require_rollback: true")]
    [InlineData("require_validation: false")]
    [InlineData("require_validation: False, require_rollback: TRUE")]
    [InlineData("dry_run_first: true")]
    public void Policies_AreReadTheSameByTheBuildAndTheRunner(string policies)
    {
        var yaml = $$"""
            apiVersion: v1
            kind: ProjectConfig
            metadata: { name: shop }
            spec:
              migration:
                policies: { {{policies}} }
            """;

        var build = ProjectPolicy.Parse(yaml);
        var runner = ProjectConfigReader.Read(yaml, "project-config.yaml").Policies;

        Assert.Equal((runner.RequireRollback, runner.RequireValidation), (build.RequireRollback, build.RequireValidation));
    }

    [Fact]
    public void WithoutAConfigFile_TheDefaultsAgree()
    {
        var runner = new ProjectCatalog("shop", []).Policies;

        Assert.Equal((runner.RequireRollback, runner.RequireValidation), (ProjectPolicy.Default.RequireRollback, ProjectPolicy.Default.RequireValidation));
    }

    [Theory]
    [InlineData("require_validation: yes")]
    [InlineData("require_rollback: on")]
    public void FlagThatIsNotTrueOrFalse_TheRunnerRefuses_AndTheBuildKeepsTheDefault(string policies)
    {
        var yaml = $"spec:\n  migration:\n    policies: {{ {policies} }}\n";

        Assert.Throws<StepwiseException>(() => ProjectConfigReader.Read("apiVersion: v1\nkind: ProjectConfig\nmetadata: { name: shop }\n" + yaml, "project-config.yaml"));
        var build = ProjectPolicy.Parse(yaml);
        Assert.Equal((ProjectPolicy.Default.RequireRollback, ProjectPolicy.Default.RequireValidation), (build.RequireRollback, build.RequireValidation));
    }

    [Theory]
    [InlineData("project-config.yaml", true)]
    [InlineData("project-config.yml", false)]
    [InlineData("Project-Config.yaml", false)]
    public void ConfigFile_IsTheOneTheRunnerEmbeds(string fileName, bool read)
    {
        var file = new InMemoryAdditionalText($"/src/{fileName}", "spec:\n  migration:\n    policies: { require_rollback: true }\n");

        var build = ProjectPolicy.From([file], TestContext.Current.CancellationToken);

        Assert.Equal(read, build.RequireRollback);
        Assert.Equal(read, string.Equals(fileName, MigrationDiscovery.ConfigResourceName, StringComparison.Ordinal));
    }

    private sealed class InMemoryAdditionalText(string path, string text) : Microsoft.CodeAnalysis.AdditionalText
    {
        public override string Path => path;

        public override Microsoft.CodeAnalysis.Text.SourceText GetText(CancellationToken cancellationToken = default) =>
            Microsoft.CodeAnalysis.Text.SourceText.From(text);
    }
}
