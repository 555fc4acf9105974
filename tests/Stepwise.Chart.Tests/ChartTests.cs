using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using YamlDotNet.RepresentationModel;

namespace Stepwise.Chart.Tests;

/// <summary>charts/stepwise: its files, its schema, and what it renders for every example values file.</summary>
public sealed class ChartTests
{
    public static TheoryData<string> Examples => [.. Directory.GetFiles(Path.Combine(ChartRenderer.ChartDirectory, "examples"), "*.yaml").Select(static f => Path.GetFileName(f)!)];

    [Fact]
    public void EveryYamlFileOfTheChart_Parses()
    {
        var files = Directory.GetFiles(ChartRenderer.ChartDirectory, "*.yaml", SearchOption.TopDirectoryOnly)
            .Concat(Directory.GetFiles(Path.Combine(ChartRenderer.ChartDirectory, "examples"), "*.yaml"))
            .ToArray();

        Assert.Contains(files, static f => f.EndsWith("values.yaml", StringComparison.Ordinal));
        foreach (var file in files)
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(File.ReadAllText(file)));
            Assert.IsType<YamlMappingNode>(stream.Documents.Single().RootNode);
        }
    }

    [Fact]
    public void Defaults_ValidateAgainstTheSchema() => AssertValid(Defaults());

    [Theory]
    [MemberData(nameof(Examples))]
    public void EveryExample_MergedWithTheDefaults_ValidatesAgainstTheSchema(string example) =>
        AssertValid(Merge(Defaults(), ReadYaml(Path.Combine(ChartRenderer.ChartDirectory, "examples", example))));

    [Theory]
    [InlineData("imagee", "{ \"repository\": \"x\" }", "imagee")]
    [InlineData("job", "{ \"retries\": 3 }", "retries")]
    [InlineData("job", "{ \"backoffLimit\": \"two\" }", "backoffLimit")]
    [InlineData("mode", "\"flux\"", "mode")]
    [InlineData("version", "\"latest\"", "version")]
    [InlineData("lockTimeout", "\"soon\"", "lockTimeout")]
    [InlineData("tls", "{ \"sslMode\": \"verify-full\" }", "sslMode")]
    public void BadValues_AreRefusedByTheSchema(string key, string value, string named)
    {
        var values = Merge(Defaults(), new JsonObject { [key] = JsonNode.Parse(value) });

        var result = Schema().Evaluate(JsonSerializer.SerializeToElement(values), new EvaluationOptions { OutputFormat = OutputFormat.List });

        Assert.False(result.IsValid);
        Assert.Contains(result.Details ?? [], d => d.InstanceLocation.ToString().Contains(named, StringComparison.Ordinal) || d.Errors?.Values.Any(e => e.Contains(named, StringComparison.Ordinal)) == true);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task EveryExample_RendersJobsThatKeepTheInvariants_OnInstallAndUpgrade(string example)
    {
        TestContext.Current.TestOutputHelper?.WriteLine("renderer: " + await ChartRenderer.DescribeAsync());
        var file = Path.Combine(ChartRenderer.ChartDirectory, "examples", example);
        var secret = ReadYaml(file)["connection"]!["existingSecret"]!.GetValue<string>();

        foreach (var upgrade in new[] { false, true })
        {
            var rendered = await ChartRenderer.RenderAsync([file], upgrade: upgrade);
            Assert.True(rendered.ExitCode == 0, rendered.Error);
            var manifests = Manifests.Parse(rendered.Output);
            var jobs = manifests.Where(static m => m.Kind == "Job").ToList();
            Assert.NotEmpty(jobs);
            foreach (var job in jobs)
            {
                JobInvariants.Check(job, secret);
            }

            foreach (var other in manifests.Where(static m => m.Kind != "Job"))
            {
                Manifests.IsStrictlyValid(other);
            }

            Assert.DoesNotContain(manifests, static m => m.Kind == "Secret");
        }
    }

    [Fact]
    public async Task HelmMode_RendersThePreJobAsAnEarlyHookThatDefersCleanups_AndThePostJobAsALateHook()
    {
        using var values = ValuesFile.Minimal(("version", "2.0.0"));

        var jobs = await JobsAsync(values);

        var pre = jobs.Single(static j => j.Name == "shop-e-commerce-api-migrate-pre");
        var post = jobs.Single(static j => j.Name == "shop-e-commerce-api-migrate-post");
        Assert.Equal("pre-install,pre-upgrade", JobInvariants.Annotation(pre, "helm.sh/hook"));
        Assert.Equal("-10", JobInvariants.Annotation(pre, "helm.sh/hook-weight"));
        Assert.Equal("post-install,post-upgrade", JobInvariants.Annotation(post, "helm.sh/hook"));
        Assert.Equal("10", JobInvariants.Annotation(post, "helm.sh/hook-weight"));
        Assert.All(jobs, static j => Assert.Equal("before-hook-creation,hook-succeeded", JobInvariants.Annotation(j, "helm.sh/hook-delete-policy")));
        Assert.Equal(["migrate", "--version", "2.0.0", "--defer-post-upgrade"], JobInvariants.Arguments(pre).Take(4));
        Assert.DoesNotContain("--defer-post-upgrade", JobInvariants.Arguments(post));
        Assert.Equal("registry.example.test/shop/migrations:2.0.0", pre["spec.template.spec.containers.0.image"]!.GetValue<string>());
    }

    [Fact]
    public async Task ArgoCdMode_RendersTheSameJobsAsPreSyncAndPostSyncHooks()
    {
        using var values = ValuesFile.Minimal(("mode", "argocd"));

        var jobs = await JobsAsync(values);

        Assert.Equal(["PostSync", "PreSync"], jobs.Select(static j => JobInvariants.Annotation(j, "argocd.argoproj.io/hook")!).Order());
        Assert.All(jobs, static j => Assert.Null(JobInvariants.Annotation(j, "helm.sh/hook")));
    }

    [Fact]
    public async Task PlainMode_RendersOneJobWhoseNameIsStable_AndChangesWithVersionOrImage()
    {
        using var first = ValuesFile.Minimal(("mode", "plain"), ("version", "2.0.0"));
        using var same = ValuesFile.Minimal(("mode", "plain"), ("version", "2.0.0"));
        using var newer = ValuesFile.Minimal(("mode", "plain"), ("version", "2.1.0"));
        using var rebuilt = ValuesFile.Minimal(("mode", "plain"), ("version", "2.0.0"), ("image.tag", "2.0.0-rebuilt"));

        var names = new List<string>();
        foreach (var values in new[] { first, same, newer, rebuilt })
        {
            var job = Assert.Single(await JobsAsync(values));
            Assert.Null(job.Json["metadata"]!["annotations"]);
            Assert.DoesNotContain("--defer-post-upgrade", JobInvariants.Arguments(job));
            names.Add(job.Name);
        }

        Assert.Matches("^shop-e-commerce-api-migrate-[0-9a-f]{10}$", names[0]);
        Assert.Equal(names[0], names[1]);
        Assert.Equal(3, names.Distinct().Count());
    }

    [Fact]
    public async Task RollbackValues_MakeThePreJobRollBack_AndRenderNoPostJob()
    {
        var jobs = await JobsAsync(Path.Combine(ChartRenderer.ChartDirectory, "examples", "rollback.yaml"));

        var job = Assert.Single(jobs);
        Assert.Equal(["rollback", "--version", "1.2.0", "--project", "e-commerce-api"], JobInvariants.Arguments(job).Take(5));
        Assert.Equal("registry.example.test/shop/migrations:2.0.0", job["spec.template.spec.containers.0.image"]!.GetValue<string>());
    }

    [Fact]
    public async Task Telemetry_SendsToTheCollector_NamesTheJob_AndAlertsOnTheRunnersMetrics()
    {
        using var values = ValuesFile.Minimal(
            ("telemetry.otlpEndpoint", "http://otel-collector.observability:4318"),
            ("networkPolicy.enabled", true),
            ("networkPolicy.databaseCidrs", new System.Text.Json.Nodes.JsonArray("10.0.12.0/24")),
            ("networkPolicy.collectorPeers", new System.Text.Json.Nodes.JsonArray(System.Text.Json.Nodes.JsonNode.Parse(
                """{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "observability"}}}"""))),
            ("prometheusRule.enabled", true),
            ("prometheusRule.runnerMetrics", true));

        var rendered = await ChartRenderer.RenderAsync([values.Path]);
        var manifests = Manifests.Parse(rendered.Output);

        var env = manifests.First(static m => m.Kind == "Job")["spec.template.spec.containers.0.env"]!.AsArray();
        string? Value(string name) => env.Single(e => e!["name"]!.GetValue<string>() == name)!["value"]?.GetValue<string>();
        Assert.Equal("http://otel-collector.observability:4318", Value("OTEL_EXPORTER_OTLP_ENDPOINT"));
        Assert.StartsWith("k8s.job.name=$(STEPWISE_JOB_NAME)", Value("OTEL_RESOURCE_ATTRIBUTES"), StringComparison.Ordinal);
        var policy = manifests.Single(static m => m.Kind == "NetworkPolicy");
        Assert.Equal(4318L, policy["spec.egress.2.ports.0.port"]!.GetValue<long>());
        var alerts = manifests.Single(static m => m.Kind == "PrometheusRule")["spec.groups.0.rules"]!.AsArray().Select(static r => r!["alert"]!.GetValue<string>());
        Assert.Equal(["MigrationJobFailed", "StepwiseRunFailed", "StepwiseRollback", "StepwiseSlowRun"], alerts);
    }

    [Fact]
    public async Task Telemetry_BehindANetworkPolicy_NeedsToKnowWhereTheCollectorIs()
    {
        using var values = ValuesFile.Minimal(
            ("telemetry.otlpEndpoint", "http://otel-collector.observability:4318"),
            ("networkPolicy.enabled", true),
            ("networkPolicy.databaseCidrs", new System.Text.Json.Nodes.JsonArray("10.0.12.0/24")));

        var rendered = await ChartRenderer.RenderAsync([values.Path]);

        Assert.NotEqual(0, rendered.ExitCode);
        Assert.Contains("networkPolicy.collectorPeers", rendered.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunnerMetricAlerts_WithoutAnEndpoint_AreRefused()
    {
        using var values = ValuesFile.Minimal(("prometheusRule.enabled", true), ("prometheusRule.runnerMetrics", true));

        var rendered = await ChartRenderer.RenderAsync([values.Path]);

        Assert.NotEqual(0, rendered.ExitCode);
        Assert.Contains("telemetry.otlpEndpoint", rendered.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServiceAccount_IsAHookThatRunsBeforeTheJobs()
    {
        using var values = ValuesFile.Minimal(("serviceAccount.create", true));

        var rendered = await ChartRenderer.RenderAsync([values.Path]);
        var manifests = Manifests.Parse(rendered.Output);

        var account = manifests.Single(static m => m.Kind == "ServiceAccount");
        Assert.Equal("-20", JobInvariants.Annotation(account, "helm.sh/hook-weight"));
        Assert.False(account.Json["automountServiceAccountToken"]!.GetValue<bool>());
        Assert.All(manifests.Where(static m => m.Kind == "Job"),
            j => Assert.Equal(account.Name, j["spec.template.spec.serviceAccountName"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ProductionExample_LetsTheJobsReachOnlyTheDatabaseAndDns_AndAlertsOnAFailedJob()
    {
        var rendered = await ChartRenderer.RenderAsync([Path.Combine(ChartRenderer.ChartDirectory, "examples", "production.yaml")]);
        var manifests = Manifests.Parse(rendered.Output);

        var policy = manifests.Single(static m => m.Kind == "NetworkPolicy");
        Assert.Equal(["Ingress", "Egress"], policy["spec.policyTypes"]!.AsArray().Select(static t => t!.GetValue<string>()));
        Assert.Equal("10.0.12.0/24", policy["spec.egress.0.to.0.ipBlock.cidr"]!.GetValue<string>());
        Assert.Equal(53L, policy["spec.egress.1.ports.0.port"]!.GetValue<long>());
        var rule = manifests.Single(static m => m.Kind == "PrometheusRule");
        Assert.Equal("MigrationJobFailed", rule["spec.groups.0.rules.0.alert"]!.GetValue<string>());
        Assert.Contains("kube_job_status_failed", rule["spec.groups.0.rules.0.expr"]!.GetValue<string>(), StringComparison.Ordinal);
        var job = manifests.First(static m => m.Kind == "Job");
        Assert.Contains(job["spec.template.spec.containers.0.env"]!.AsArray(), static e => e!["name"]!.GetValue<string>() == "DB_SSLMODE");
        Assert.Equal("registry.example.test/shop/migrations@sha256:4f9d3c5b2a1e0f8d7c6b5a4e3d2c1b0a9f8e7d6c5b4a3e2d1c0b9a8f7e6d5c4b",
            job["spec.template.spec.containers.0.image"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("project", "project is required")]
    [InlineData("image.repository", "image.repository is required")]
    [InlineData("connection.existingSecret", "connection.existingSecret is required")]
    public async Task MissingRequiredValue_IsRefusedNamingIt(string missing, string expected)
    {
        using var values = ValuesFile.Minimal((missing, ""));

        var rendered = await ChartRenderer.RenderAsync([values.Path]);

        Assert.NotEqual(0, rendered.ExitCode);
        Assert.Contains(expected, rendered.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NetworkPolicyThatDoesNotSayWhereTheDatabaseIs_IsRefused()
    {
        using var values = ValuesFile.Minimal(("networkPolicy.enabled", true));

        var rendered = await ChartRenderer.RenderAsync([values.Path]);

        Assert.NotEqual(0, rendered.ExitCode);
        Assert.Contains("networkPolicy.enabled needs networkPolicy.databaseCidrs or networkPolicy.databasePodSelector", rendered.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Notes_SayHowToReadTheJobsLogAndWhyItFailed()
    {
        using var values = ValuesFile.Minimal();
        if (!(await ChartRenderer.DescribeAsync()).StartsWith("the test renderer", StringComparison.Ordinal))
        {
            Assert.Skip("helm template does not print NOTES.txt; `helm install --dry-run` would, against a cluster.");
        }

        var notes = await ChartRenderer.RenderAsync([values.Path], notes: true);

        Assert.Contains("kubectl -n apps logs job/shop-e-commerce-api-migrate-pre", notes.Output, StringComparison.Ordinal);
        Assert.Contains("state.terminated.message", notes.Output, StringComparison.Ordinal);
    }

    private static async Task<List<Manifest>> JobsAsync(ValuesFile values) => await JobsAsync(values.Path);

    private static async Task<List<Manifest>> JobsAsync(string valuesFile)
    {
        var rendered = await ChartRenderer.RenderAsync([valuesFile]);
        Assert.True(rendered.ExitCode == 0, rendered.Error);
        return Manifests.Parse(rendered.Output).Where(static m => m.Kind == "Job").ToList();
    }

    private static JsonSchema Schema() => JsonSchema.FromText(File.ReadAllText(Path.Combine(ChartRenderer.ChartDirectory, "values.schema.json")));

    private static JsonObject Defaults() => ReadYaml(Path.Combine(ChartRenderer.ChartDirectory, "values.yaml"));

    private static JsonObject ReadYaml(string path) => Manifests.Parse(File.ReadAllText(path)).Single().Json;

    private static void AssertValid(JsonObject values)
    {
        var result = Schema().Evaluate(JsonSerializer.SerializeToElement(values), new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(result.IsValid, string.Join("\n", (result.Details ?? []).Where(static d => d.Errors is not null)
            .Select(static d => $"{d.InstanceLocation}: {string.Join("; ", d.Errors!.Values)}")));
    }

    // Helm's coalescing: maps merge key by key, anything else replaces.
    private static JsonObject Merge(JsonObject defaults, JsonObject given)
    {
        var result = (JsonObject)defaults.DeepClone();
        foreach (var (key, value) in given)
        {
            result[key] = value is JsonObject map && result[key] is JsonObject existing ? Merge(existing, map) : value?.DeepClone();
        }

        return result;
    }
}
