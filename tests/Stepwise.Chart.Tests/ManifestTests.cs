using System.Text.Json.Nodes;
using ECommerce.Migrations.Migrations;
using Stepwise.Hosting;
using Stepwise.Testing;

namespace Stepwise.Chart.Tests;

/// <summary>`stepwise manifest`: the chart's Job as plain YAML, for kubectl, Kustomize or Argo CD without Helm.</summary>
public sealed class ManifestTests
{
    private const string Image = "registry.example.test/shop/migrations:2.0.0";

    [Theory]
    [InlineData("pre", false, "helm", "pre")]
    [InlineData("post", false, "helm", "post")]
    [InlineData("pre", true, "argocd", "pre")]
    [InlineData("post", true, "argocd", "post")]
    [InlineData("none", false, "plain", "pre")]
    public async Task Manifest_IsTheJobTheChartRenders(string hook, bool argocd, string mode, string phase)
    {
        var manifest = Assert.Single(Manifests.Parse((await ManifestAsync(["--hook", hook, .. argocd ? new[] { "--argocd" } : []])).Output));
        using var values = new ValuesFile(JobInvariants.Values(
            ("image.repository", "registry.example.test/shop/migrations"), ("image.tag", "2.0.0"), ("project", "e-commerce-api"), ("version", "2.0.0"),
            ("connection.existingSecret", "e-commerce-api-db"), ("mode", mode)));
        var rendered = await ChartRenderer.RenderAsync([values.Path]);
        var chart = Manifests.Parse(rendered.Output).Single(m => m.Kind == "Job" && m.Json["metadata"]!["labels"]!["app.kubernetes.io/component"]!.GetValue<string>() == $"migrate-{phase}");

        // The same Job but for what only a Helm release has: its name in the pods' labels.
        var spec = chart.Json["spec"]!.DeepClone();
        spec["template"]!["metadata"]!["labels"]!.AsObject().Remove("app.kubernetes.io/instance");
        Assert.True(JsonNode.DeepEquals(spec, manifest.Json["spec"]), $"chart:\n{chart.Text}\nmanifest:\n{manifest.Text}");
        Assert.True(JsonNode.DeepEquals(chart.Json["metadata"]!["annotations"], manifest.Json["metadata"]!["annotations"]));
        Assert.Equal(chart.Name.Split("-migrate-")[1], manifest.Name.Split("-migrate-")[1]);
    }

    [Fact]
    public async Task Manifest_KeepsTheJobInvariants_AndReadsStrictlyIntoTheKubernetesModel()
    {
        var run = await ManifestAsync(["--secret", "shop-db", "--environment", "production", "--from-version", "1.2.0"]);

        var job = Assert.Single(Manifests.Parse(run.Output));
        JobInvariants.Check(job, "shop-db");
        Assert.Equal(["migrate", "--version", "2.0.0", "--defer-post-upgrade", "--from-version", "1.2.0", "--project", "e-commerce-api"],
            JobInvariants.Arguments(job).Take(8));
        Assert.Contains("--environment", JobInvariants.Arguments(job));
    }

    [Theory]
    [InlineData(new[] { "--secret", "Shop_DB" }, "--secret: 'Shop_DB' is not a Secret name")]
    [InlineData(new[] { "--hook", "during" }, "'during'")]
    [InlineData(new[] { "--version", "9.9.9" }, "Unknown version 9.9.9 for project e-commerce-api")]
    public async Task Manifest_WithBadInput_IsAUsageError(string[] args, string expected)
    {
        var run = await ManifestAsync(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Manifest_WithoutAnImage_SaysSo()
    {
        var run = await RunAsync(["manifest"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--image", run.Error, StringComparison.Ordinal);
    }

    private static async Task<CliRun> ManifestAsync(string[] args) => await RunAsync(["manifest", "--image", Image, .. args]);

    private static async Task<CliRun> RunAsync(string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var options = new StepwiseHostOptions { Output = output, Error = error, EnvironmentVariables = static _ => null };
        options.Assemblies.Add(typeof(CreateUsersTable).Assembly);
        var exit = await StepwiseHost.RunAsync(args, options, TestContext.Current.CancellationToken);
        return new CliRun(exit, output.ToString(), error.ToString());
    }
}
