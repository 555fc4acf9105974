using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Stepwise.Hosting.Output;

/// <summary>How a migration Job is triggered.</summary>
internal enum JobTrigger
{
    /// <summary>A plain resource (kubectl, Kustomize, Flux): named after a hash of project, version and image.</summary>
    Plain,

    /// <summary>Helm's pre-install,pre-upgrade hook: migrate, the target's post-upgrade migrations deferred.</summary>
    HelmPre,

    /// <summary>Helm's post-install,post-upgrade hook: the deferred post-upgrade migrations.</summary>
    HelmPost,

    /// <summary>Argo CD's PreSync hook (as <see cref="HelmPre"/>).</summary>
    ArgoPre,

    /// <summary>Argo CD's PostSync hook (as <see cref="HelmPost"/>).</summary>
    ArgoPost,
}

/// <summary>What a migration Job is made of.</summary>
internal sealed record JobSettings(
    string Image,
    string Project,
    string Version,
    string? FromVersion,
    string DatabaseType,
    string? Environment,
    string Secret,
    string LockTimeout,
    JobTrigger Trigger);

/// <summary>
/// The migration Job the chart (charts/stepwise) renders, with the chart's defaults, as YAML: for teams that deploy without
/// Helm. A test renders both and compares them, so the two stay the same Job.
/// </summary>
internal static class JobManifest
{
    public static string Render(JobSettings job)
    {
        var pre = job.Trigger is JobTrigger.Plain or JobTrigger.HelmPre or JobTrigger.ArgoPre;
        var phase = pre ? "pre" : "post";
        var name = job.Trigger == JobTrigger.Plain
            ? $"{job.Project}-migrate-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{job.Project}|{job.Version}|{job.Image}")))[..10]}"
            : $"{job.Project}-migrate-{phase}";
        var selector = new Map { ["app.kubernetes.io/name"] = "stepwise", ["stepwise.io/project"] = job.Project };

        var metadata = new Map
        {
            ["name"] = name,
            ["labels"] = new Map(selector) { ["app.kubernetes.io/version"] = job.Version, ["app.kubernetes.io/component"] = $"migrate-{phase}" },
        };
        metadata.AddIfNotNull("annotations", job.Trigger switch
        {
            JobTrigger.HelmPre or JobTrigger.HelmPost => new Map
            {
                ["helm.sh/hook"] = pre ? "pre-install,pre-upgrade" : "post-install,post-upgrade",
                ["helm.sh/hook-weight"] = pre ? "-10" : "10",
                ["helm.sh/hook-delete-policy"] = "before-hook-creation,hook-succeeded",
            },
            JobTrigger.ArgoPre or JobTrigger.ArgoPost => new Map
            {
                ["argocd.argoproj.io/hook"] = pre ? "PreSync" : "PostSync",
                ["argocd.argoproj.io/hook-delete-policy"] = "BeforeHookCreation,HookSucceeded",
            },
            _ => null,
        });

        var container = new Map
        {
            ["name"] = "migrate",
            ["image"] = job.Image,
            ["imagePullPolicy"] = "IfNotPresent",
            ["args"] = Arguments(job, deferPostUpgrade: pre && job.Trigger != JobTrigger.Plain),
            ["env"] = Environment(job.Secret, job.Image),
            ["volumeMounts"] = new object[]
            {
                new Map { ["name"] = "db", ["mountPath"] = "/var/run/secrets/stepwise/db", ["readOnly"] = true },
                new Map { ["name"] = "tmp", ["mountPath"] = "/tmp" },
            },
            ["securityContext"] = new Map
            {
                ["allowPrivilegeEscalation"] = false,
                ["readOnlyRootFilesystem"] = true,
                ["capabilities"] = new Map { ["drop"] = new object[] { "ALL" } },
            },
            ["terminationMessagePolicy"] = "FallbackToLogsOnError",
            ["resources"] = new Map
            {
                ["limits"] = new Map { ["memory"] = "256Mi" },
                ["requests"] = new Map { ["cpu"] = "100m", ["memory"] = "128Mi" },
            },
        };

        var pod = new Map
        {
            ["restartPolicy"] = "Never",
            ["automountServiceAccountToken"] = false,
            ["terminationGracePeriodSeconds"] = 30,
            ["securityContext"] = new Map
            {
                ["runAsNonRoot"] = true,
                ["runAsUser"] = 10001,
                ["runAsGroup"] = 10001,
                // Kubernetes writes a Secret volume's files as root; their group is this one, so that the runner can read them.
                ["fsGroup"] = 10001,
                ["seccompProfile"] = new Map { ["type"] = "RuntimeDefault" },
            },
            ["containers"] = new object[] { container },
            ["volumes"] = new object[]
            {
                new Map
                {
                    ["name"] = "db",
                    ["secret"] = new Map
                    {
                        ["secretName"] = job.Secret,
                        ["optional"] = true,
                        ["defaultMode"] = 288, // 0440: owner root, group fsGroup
                        ["items"] = new object[] { new Map { ["key"] = "password", ["path"] = "password" } },
                    },
                },
                new Map { ["name"] = "tmp", ["emptyDir"] = new Map { ["sizeLimit"] = "64Mi" } },
            },
        };

        var manifest = new Map
        {
            ["apiVersion"] = "batch/v1",
            ["kind"] = "Job",
            ["metadata"] = metadata,
            ["spec"] = new Map
            {
                ["backoffLimit"] = 2,
                ["activeDeadlineSeconds"] = 280,
                ["podFailurePolicy"] = new Map
                {
                    ["rules"] = new object[]
                    {
                        new Map
                        {
                            ["action"] = "FailJob",
                            ["onExitCodes"] = new Map
                            {
                                ["containerName"] = "migrate",
                                ["operator"] = "In",
                                ["values"] = new object[] { 2, 3, 4, 5, 7, 9, 10, 11 },
                            },
                        },
                        new Map { ["action"] = "Ignore", ["onPodConditions"] = new object[] { new Map { ["type"] = "DisruptionTarget" } } },
                    },
                },
                ["template"] = new Map
                {
                    ["metadata"] = new Map { ["labels"] = new Map(selector) { ["app.kubernetes.io/component"] = $"migrate-{phase}" } },
                    ["spec"] = pod,
                },
            },
        };

        var text = new StringBuilder();
        text.AppendLine("# The migration Job of " + job.Project + ", as charts/stepwise renders it with its defaults (stepwise manifest).");
        text.AppendLine("# The Secret " + job.Secret + " must exist first, with the keys host, port (optional), database, username and password.");
        Emit(text, manifest, 0);
        return text.ToString();
    }

    private static object[] Arguments(JobSettings job, bool deferPostUpgrade)
    {
        var args = new List<object> { "migrate", "--version", job.Version };
        if (deferPostUpgrade)
        {
            args.Add("--defer-post-upgrade");
        }

        if (job.FromVersion is { } from)
        {
            args.AddRange(["--from-version", from]);
        }

        args.AddRange(["--project", job.Project, "--database-type", job.DatabaseType]);
        if (job.Environment is { } environment)
        {
            args.AddRange(["--environment", environment]);
        }

        args.AddRange(["--lock-timeout", job.LockTimeout, "--log-format", "json", "--log-level", "information"]);
        return [.. args];
    }

    // The password is mounted as a file, never set as a variable; the other keys are optional, so that a missing Secret
    // fails the Job at once with the runner's message naming it.
    private static object[] Environment(string secret, string image)
    {
        Map FromSecret(string variable, string key) => new()
        {
            ["name"] = variable,
            ["valueFrom"] = new Map { ["secretKeyRef"] = new Map { ["name"] = secret, ["key"] = key, ["optional"] = true } },
        };

        return
        [
            FromSecret("DB_HOST", "host"),
            FromSecret("DB_PORT", "port"),
            FromSecret("DB_NAME", "database"),
            FromSecret("DB_USER", "username"),
            new Map { ["name"] = "DB_PASSWORD_FILE", ["value"] = "/var/run/secrets/stepwise/db/password" },
            new Map { ["name"] = "STEPWISE_CONNECTION_SOURCE", ["value"] = $"Secret '{secret}'" },

            // Who and what ran, for the audit trail's sinks.
            new Map { ["name"] = "STEPWISE_IMAGE", ["value"] = image },
            new Map
            {
                ["name"] = "STEPWISE_SERVICE_ACCOUNT",
                ["valueFrom"] = new Map { ["fieldRef"] = new Map { ["fieldPath"] = "spec.serviceAccountName" } },
            },
        ];
    }

    private static void Emit(StringBuilder text, object value, int indent)
    {
        var pad = new string(' ', indent);
        switch (value)
        {
            case Map map:
                foreach (var (key, item) in map)
                {
                    if (item is Map { Count: > 0 } or object[] { Length: > 0 })
                    {
                        text.Append(pad).Append(Scalar(key)).AppendLine(":");
                        Emit(text, item, item is Map ? indent + 2 : indent);
                    }
                    else
                    {
                        text.Append(pad).Append(Scalar(key)).Append(": ").AppendLine(item is Map ? "{}" : item is object[] ? "[]" : Scalar(item));
                    }
                }

                break;
            case object[] list:
                foreach (var item in list)
                {
                    if (item is Map nested)
                    {
                        var first = new StringBuilder();
                        Emit(first, nested, indent + 2);
                        text.Append(pad).Append("- ").Append(first.ToString().TrimStart());
                    }
                    else
                    {
                        text.Append(pad).Append("- ").AppendLine(Scalar(item));
                    }
                }

                break;
        }
    }

    // Strings that YAML would read as something else (numbers, booleans, null) or that hold special characters are quoted.
    private static string Scalar(object value) => value switch
    {
        bool b => b ? "true" : "false",
        int or long => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        string s when NeedsQuotes(s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"",
        _ => value.ToString() ?? "",
    };

    private static bool NeedsQuotes(string s) =>
        s.Length == 0 || double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ||
        s.ToLowerInvariant() is "true" or "false" or "yes" or "no" or "on" or "off" or "null" or "~" ||
        s.IndexOfAny([':', '#', '\'', '"', '{', '}', '[', ']', ',', '&', '*', '!', '|', '>', '%', '@', '`']) >= 0 || s.StartsWith('-') || s.Contains(' ', StringComparison.Ordinal);

    // An ordered mapping: the manifest reads in the order Kubernetes documents its fields.
    private sealed class Map : List<KeyValuePair<string, object>>
    {
        public Map()
        {
        }

        public Map(Map copy)
            : base(copy)
        {
        }

        public object this[string key]
        {
            set => Add(new KeyValuePair<string, object>(key, value));
        }

        public void AddIfNotNull(string key, object? value)
        {
            if (value is not null)
            {
                this[key] = value;
            }
        }
    }
}
