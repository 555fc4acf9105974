using Microsoft.Extensions.DependencyInjection;
using Stepwise.Hosting;
using Stepwise.PostgreSql.Tests.Migrations;
using Stepwise.Testing;

namespace Stepwise.PostgreSql.Tests.Cli;

/// <summary>Runs the real command line in-process, with a chosen set of ledger migrations and a captured console.</summary>
public static class StepwiseCli
{
    public static readonly Type[] Ledger = [typeof(CreateAccounts), typeof(AddAccountEmail), typeof(IndexAccountEmail), typeof(CreateTransfers)];

    /// <summary>The ledger set with <paramref name="variant"/> in place of the migration with the same [Migration] identity.</summary>
    public static Type[] LedgerWith(Type variant)
    {
        var identity = Identity(variant);
        return [.. Ledger.Where(t => Identity(t) != identity), variant];
    }

    public static Task<CliRun> RunAsync(TestDatabase database, Type[] migrations, params string[] args) =>
        RunAsync(migrations, null, [.. args, "--connection", database.ConnectionString]);

    public static Task<CliRun> RunAsync(Type[] migrations, IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        RunAsync(migrations, environment, null, args);

    /// <summary>Runs with <paramref name="services"/> added to the runner's own, as a host's <c>ConfigureServices</c> adds them.</summary>
    public static async Task<CliRun> RunAsync(Type[] migrations, IReadOnlyDictionary<string, string>? environment, Action<IServiceCollection>? services,
        params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var options = new StepwiseHostOptions
        {
            Output = output,
            Error = error,
            EnvironmentVariables = name => environment?.GetValueOrDefault(name),
            ConfigureServices = collection =>
            {
                collection.AddSingleton(new LedgerSeed("house"));
                services?.Invoke(collection);
            },
        };
        foreach (var type in migrations)
        {
            options.MigrationTypes.Add(type);
        }

        var exit = await StepwiseHost.RunAsync(args, options, TestContext.Current.CancellationToken);
        return new CliRun(exit, output.ToString(), error.ToString());
    }

    /// <summary>The audit entries a run wrote as JSON lines (<c>STEPWISE_AUDIT_JSONL</c>) among its other lines.</summary>
    public static List<System.Text.Json.Nodes.JsonNode> AuditEntries(string output) =>
        [.. output.Split('\n').Where(static l => l.StartsWith("{\"event\":", StringComparison.Ordinal)).Select(static l => System.Text.Json.Nodes.JsonNode.Parse(l)!)];

    private static string Identity(Type type)
    {
        var attribute = (MigrationAttribute)Attribute.GetCustomAttribute(type, typeof(MigrationAttribute))!;
        return $"{attribute.Version}/{attribute.Path}/{attribute.From}/{attribute.Phase}/{attribute.Order}";
    }
}
