using System.Text.Json.Nodes;

namespace Stepwise.Chart.Tests;

/// <summary>What every migration Job must be, whoever renders it: the chart or `stepwise manifest`.</summary>
public static class JobInvariants
{
    private static readonly long[] DeterministicExitCodes = [2, 3, 4, 5, 7, 9, 10, 11];

    public static void Check(Manifest job, string secret)
    {
        Assert.Equal("Job", job.Kind);
        Assert.True(Manifests.IsStrictlyValid(job), job.Text);

        // Retries only where one can help: the runner's deterministic answers fail the Job at once; disruptions do not count.
        Assert.InRange(job["spec.backoffLimit"]!.GetValue<long>(), 0, 6);
        Assert.NotNull(job["spec.activeDeadlineSeconds"]);
        var rules = job["spec.podFailurePolicy.rules"]!.AsArray();
        Assert.Equal("FailJob", rules[0]!["action"]!.GetValue<string>());
        Assert.Equal("migrate", rules[0]!["onExitCodes"]!["containerName"]!.GetValue<string>());
        Assert.Equal(DeterministicExitCodes, rules[0]!["onExitCodes"]!["values"]!.AsArray().Select(static v => v!.GetValue<long>()));
        Assert.Equal("Ignore", rules[1]!["action"]!.GetValue<string>());
        Assert.Equal("DisruptionTarget", rules[1]!["onPodConditions"]![0]!["type"]!.GetValue<string>());

        // The restricted Pod Security Standard.
        var pod = job["spec.template.spec"]!;
        Assert.Equal("Never", pod["restartPolicy"]!.GetValue<string>());
        Assert.False(pod["automountServiceAccountToken"]!.GetValue<bool>());
        Assert.True(pod["securityContext"]!["runAsNonRoot"]!.GetValue<bool>());
        Assert.True(pod["securityContext"]!["runAsUser"]!.GetValue<long>() > 0);
        Assert.Equal("RuntimeDefault", pod["securityContext"]!["seccompProfile"]!["type"]!.GetValue<string>());
        var container = pod["containers"]!.AsArray().Single()!;
        Assert.Equal("migrate", container["name"]!.GetValue<string>());
        Assert.False(container["securityContext"]!["allowPrivilegeEscalation"]!.GetValue<bool>());
        Assert.True(container["securityContext"]!["readOnlyRootFilesystem"]!.GetValue<bool>());
        Assert.Equal(["ALL"], container["securityContext"]!["capabilities"]!["drop"]!.AsArray().Select(static v => v!.GetValue<string>()));
        Assert.Contains(container["volumeMounts"]!.AsArray(), static m => m!["mountPath"]!.GetValue<string>() == "/tmp");
        Assert.Contains(pod["volumes"]!.AsArray(), static v => v!["name"]!.GetValue<string>() == "tmp" && v["emptyDir"] is not null);

        // Credentials come from the Secret, by reference only; the password as a file, never a variable.
        var env = container["env"]!.AsArray();
        Assert.DoesNotContain(env, static e => e!["name"]!.GetValue<string>() is "DB_PASSWORD" or "STEPWISE_CONNECTION");
        foreach (var variable in env.Where(static e => e!["valueFrom"]?["secretKeyRef"] is not null))
        {
            Assert.Equal(secret, variable!["valueFrom"]!["secretKeyRef"]!["name"]!.GetValue<string>());
        }

        var volume = pod["volumes"]!.AsArray().Single(v => v!["secret"]?["secretName"]?.GetValue<string>() == secret)!;

        // Kubernetes writes a Secret volume's files as root (their group fsGroup, when set): the runner, not root, must
        // be able to read them, through its group or as anyone; a mode such as 0400 alone leaves it unable to log in.
        var mode = volume["secret"]!["defaultMode"]?.GetValue<long>() ?? 420; // Kubernetes' default, 0644
        var readableByGroup = pod["securityContext"]!["fsGroup"]?.GetValue<long>() == pod["securityContext"]!["runAsGroup"]?.GetValue<long>() && (mode & 32) != 0;
        Assert.True(readableByGroup || (mode & 4) != 0, $"The runner (not root) cannot read the Secret's files: mode {Convert.ToString(mode, 8)}, fsGroup " +
            $"{pod["securityContext"]!["fsGroup"]?.ToJsonString() ?? "unset"}.");
        Assert.DoesNotContain("password: ", job.Text.Replace("key: password", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
    }

    public static IReadOnlyList<string> Arguments(Manifest job) =>
        job["spec.template.spec.containers.0.args"]!.AsArray().Select(static a => a!.GetValue<string>()).ToArray();

    public static string? Annotation(Manifest manifest, string name) => manifest.Json["metadata"]?["annotations"]?[name]?.GetValue<string>();

    public static JsonObject Values(params (string Path, object? Value)[] values)
    {
        var root = new JsonObject();
        foreach (var (path, value) in values)
        {
            var parts = path.Split('.');
            var node = root;
            foreach (var part in parts[..^1])
            {
                node = (JsonObject)(node[part] ??= new JsonObject());
            }

            node[parts[^1]] = value switch
            {
                null => null,
                JsonNode given => given,
                string text => JsonValue.Create(text),
                bool flag => JsonValue.Create(flag),
                int number => JsonValue.Create(number),
                _ => throw new ArgumentException($"No JSON for {value.GetType().Name}.", nameof(values)),
            };
        }

        return root;
    }
}
