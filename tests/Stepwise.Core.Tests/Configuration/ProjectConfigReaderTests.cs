using Semver;
using Stepwise.Configuration;
using Stepwise.Core.Tests.Planning;
using Stepwise.Versioning;

namespace Stepwise.Core.Tests.Configuration;

public sealed class ProjectConfigReaderTests
{
    private const string Valid =
        """
        apiVersion: v1
        kind: ProjectConfig
        metadata:
          name: shop
          description: "Shop database migrations"
        spec:
          databases:
            primary:
              type: postgresql
              name: shop_db
              schemas: ["public", "audit"]
          migration:
            policies:
              require_rollback: true
              require_validation: true
              dry_run_first: false
              backup_before_upgrade: true
          requires:
            billing: ">=v1.2.0"
          compatibility_matrix:
            v1.0.0:
              upgrades_to: ["v1.1.0"]
              rollback_to: []
            v1.1.0:
              upgrades_to: []
              rollback_to: ["v1.0.0"]
        """;

    [Fact]
    public void ValidFile_IsReadCompletely()
    {
        var config = ProjectConfigReader.Read(Valid, "project-config.yaml");

        Assert.Equal("shop", config.Name);
        Assert.Equal("Shop database migrations", config.Description);
        var database = config.Databases["primary"];
        Assert.Equal("postgresql", database.Type);
        Assert.Equal("shop_db", database.Name);
        Assert.Equal(["public", "audit"], database.Schemas);
        Assert.True(config.Policies.RequireRollback);
        Assert.True(config.Policies.RequireValidation);
        Assert.False(config.Policies.DryRunFirst);
        Assert.True(config.Policies.BackupBeforeUpgrade);
        Assert.True(config.Requires["billing"].Contains(SemVersion.Parse("1.3.0")));
        Assert.False(config.Requires["billing"].Contains(SemVersion.Parse("1.1.9")));
        var matrix = Assert.IsType<VersionGraph>(config.Matrix);
        Assert.Equal([ProjectVersion.Parse("1.1.0")], matrix.UpgradesTo(ProjectVersion.Parse("1.0.0")));
        Assert.Equal([ProjectVersion.Parse("1.0.0")], matrix.RollbackTo(ProjectVersion.Parse("1.1.0")));
    }

    [Theory]
    [InlineData("spec:\n  migration:\n    polices: {}", "project-config.yaml:3:5: unknown key 'polices' under spec.migration; known keys: policies")]
    [InlineData("specs: {}", "project-config.yaml:1:1: unknown key 'specs' at the top level")]
    [InlineData("spec:\n  databases:\n    primary: { type: oracle }", "spec.databases.primary.type 'oracle' is not a database type Stepwise knows; use postgresql or mongodb")]
    [InlineData("spec:\n  compatibility_matrix:\n    v1.0: {}", "project-config.yaml:3:5: spec.compatibility_matrix: 'v1.0' is not a semantic version")]
    [InlineData("spec:\n  compatibility_matrix:\n    v1.0.0: { upgrades_to: [v1.1.0] }\n    v1.1.0: { upgrades_to: [v1.0.0] }",
        "spec.compatibility_matrix.v1.1.0.upgrades_to: 1.0.0 is not above 1.1.0; an upgrade goes to a higher version (a cycle is not allowed)")]
    [InlineData("spec:\n  compatibility_matrix:\n    v1.0.0: { rollback_to: [v2.0.0] }", "spec.compatibility_matrix.v1.0.0.rollback_to: 2.0.0 has no entry in the compatibility matrix; add it")]
    [InlineData("spec:\n  compatibility_matrix:\n    v1.0.0: { upgrades_to: v1.1.0 }", "spec.compatibility_matrix.v1.0.0.upgrades_to must be a list of versions")]
    [InlineData("spec:\n  requires:\n    billing: \"soon\"", "spec.requires.billing: 'soon' is not a version range")]
    [InlineData("spec:\n  migration:\n    policies: { dry_run_first: maybe }", "spec.migration.policies.dry_run_first must be true or false")]
    [InlineData("spec:\n  migration:\n    policies: { lock_timeout: 5 }", "spec.migration.policies.lock_timeout: '5' is not a lock timeout; write e.g. 5s, 500ms or 1min")]
    [InlineData("spec:\n  migration:\n    policies: { lock_timeout: 11min }", "spec.migration.policies.lock_timeout: '11min' is not a lock timeout")]
    public void InvalidFile_IsRefusedNamingTheFileLineAndKey(string spec, string expected)
    {
        var yaml = "apiVersion: v1\nkind: ProjectConfig\nmetadata: { name: shop }\n" + spec;

        var error = Assert.Throws<StepwiseException>(() => ProjectConfigReader.Read(yaml, "project-config.yaml"));

        Assert.Equal(FailureKind.Usage, error.Kind);
        Assert.Contains(Shift(expected), error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("5s", 5000)]
    [InlineData("250ms", 250)]
    [InlineData("1min", 60000)]
    [InlineData("0", null)]
    public void LockTimeout_IsReadInPostgresUnits(string written, int? milliseconds)
    {
        var yaml = $"apiVersion: v1\nkind: ProjectConfig\nmetadata: {{ name: shop }}\nspec:\n  migration:\n    policies: {{ lock_timeout: {written} }}\n";

        var config = ProjectConfigReader.Read(yaml, "project-config.yaml");

        Assert.Equal(milliseconds is { } ms ? TimeSpan.FromMilliseconds(ms) : null, config.Policies.LockTimeout);
    }

    [Fact]
    public void BadYaml_IsAMessageNotAStackTrace()
    {
        var error = Assert.Throws<StepwiseException>(() => ProjectConfigReader.Read("apiVersion: v1\nkind: [unclosed\n", "cfg.yaml"));

        Assert.Contains("cfg.yaml:", error.Message, StringComparison.Ordinal);
        Assert.Contains("not valid YAML", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingAndWrongHeaderFields_AreAllReportedAtOnce()
    {
        var error = Assert.Throws<StepwiseException>(() => ProjectConfigReader.Read("apiVersion: v2\nkind: Project\nmetadata: {}\nspec: {}", "cfg.yaml"));

        Assert.Contains("apiVersion must be 'v1'", error.Message, StringComparison.Ordinal);
        Assert.Contains("kind must be 'ProjectConfig'", error.Message, StringComparison.Ordinal);
        Assert.Contains("metadata.name is missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFile_IsAUsageError()
    {
        var error = Assert.Throws<StepwiseException>(() => ProjectConfigReader.ReadFile("/nowhere/project-config.yaml"));

        Assert.Equal("--config /nowhere/project-config.yaml: no such file.", error.Message);
    }

    [Fact]
    public void ConfigForAnotherProject_IsRefused()
    {
        var catalog = new CatalogBuilder().Upgrade("1.0.0", 1).Upgrade("1.1.0", 1).Build();
        var config = ProjectConfigReader.Read(Valid.Replace("name: shop", "name: billing", StringComparison.Ordinal), "project-config.yaml");

        var error = Assert.Throws<StepwiseException>(() => catalog.WithConfig(config));

        Assert.Contains("metadata.name is 'billing' but the migrations belong to 'shop'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MatrixAndMigrationVersions_MustAgreeBothWays()
    {
        var catalog = new CatalogBuilder().Upgrade("1.0.0", 1).Upgrade("1.2.0", 1).Build();
        var config = ProjectConfigReader.Read(Valid, "project-config.yaml");

        var problems = ProjectConfigValidator.Problems(config, catalog);

        Assert.Contains(problems, static p => p.Contains("lists v1.1.0, but no migration declares it", StringComparison.Ordinal));
        Assert.Contains(problems, static p => p.Contains("migrations declare version 1.2.0, but spec.compatibility_matrix has no entry for v1.2.0", StringComparison.Ordinal));
    }

    [Fact]
    public void ReadAgainstTheMigrations_ReportsSchemaErrorsAndMismatchesInOnePass_EachWithItsLine()
    {
        var catalog = new CatalogBuilder().Upgrade("1.0.0", 1).Upgrade("1.2.0", 1).Build();
        var yaml = Valid.Replace("name: shop", "name: billing", StringComparison.Ordinal)
            .Replace("require_rollback: true", "require_rollback: maybe", StringComparison.Ordinal);

        var error = Assert.Throws<StepwiseException>(() => ProjectConfigReader.Read(yaml, "project-config.yaml", catalog));

        var lines = error.Message.Split('\n').Select(static l => l.Trim()).ToList();
        Assert.Contains(lines, static l => l.StartsWith("- project-config.yaml:14:25: spec.migration.policies.require_rollback", StringComparison.Ordinal));
        Assert.Contains("- project-config.yaml:4:9: metadata.name is 'billing' but the migrations belong to 'shop' ([assembly: MigrationProject]); make them the same.", lines);
        Assert.Contains("- project-config.yaml:24:5: spec.compatibility_matrix lists v1.1.0, but no migration declares it; remove the entry or add the version's migrations.", lines);
        Assert.Contains("- project-config.yaml:24:5: migrations declare version 1.2.0, but spec.compatibility_matrix has no entry for v1.2.0; add it with its upgrades_to and rollback_to.",
            lines);
    }

    // The header takes three lines: line numbers in expectations count from the spec snippet.
    private static string Shift(string expected)
    {
        var match = System.Text.RegularExpressions.Regex.Match(expected, @"^(project-config\.yaml):(\d+):");
        return match.Success
            ? $"{match.Groups[1].Value}:{int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) + 3}:" + expected[match.Length..]
            : expected;
    }
}
