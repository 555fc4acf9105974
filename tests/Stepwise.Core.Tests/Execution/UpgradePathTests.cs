using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Stepwise.Core.Tests.Execution.Memory;
using Stepwise.Execution;
using Stepwise.Hosting;
using Stepwise.Testing;

namespace Stepwise.Core.Tests.Execution;

// The calls an upgrade makes from the command line to the migration's code, as the stack shows them while Up runs: the
// hop list of docs/architecture.md, kept short and kept true. The memory engine completes every call at once, so the
// stack at Up holds the whole path; a real engine's run takes the same calls (its awaits only resume on other threads).
public sealed partial class UpgradePathTests
{
    // The frames of Stepwise's own assemblies from StepwiseHost.RunAsync to the migration: issue 15 asked for about half
    // of the 27 hops a newcomer read before. A new layer here is a call every deploy makes and every reader follows.
    private const int Budget = 10;

    private static readonly string[] Ours = ["Stepwise", "Stepwise.Core", "Stepwise.Hosting"];

    [Fact]
    public async Task Upgrade_ReachesTheMigrationsUp_WithinTheBudget()
    {
        var path = await UpgradePathAsync();

        Assert.True(path.Count <= Budget,
            $"An upgrade passes {path.Count} of Stepwise's calls on its way to Up, over the budget of {Budget}:{Environment.NewLine}{string.Join(Environment.NewLine, path)}");
    }

    [Fact]
    public async Task HopListOfTheArchitectureDoc_IsThePathTheUpgradeTakes()
    {
        var path = await UpgradePathAsync();
        var documented = DocumentedHops();

        // The doc also names what lies outside Stepwise's assemblies (Main, the migration, the engine's driver calls):
        // the measured path is a run of consecutive hops in it.
        Assert.True(Enumerable.Range(0, documented.Count).Any(at => documented.Skip(at).Take(path.Count).SequenceEqual(path)),
            $"docs/architecture.md lists{Environment.NewLine}  {string.Join(" → ", documented)}{Environment.NewLine}" +
            $"but the upgrade takes{Environment.NewLine}  {string.Join(" → ", path)}");
    }

    // Installs 9.0.0, then upgrades to 9.1.0 through the command line, and returns the calls on the stack while the
    // upgrade's migration ran Up: outermost first, one per method (an async method shows twice, its stub and its body).
    private static async Task<IReadOnlyList<string>> UpgradePathAsync()
    {
        var database = new MemoryDatabase();
        AddPearsWatchingTheStack.Stacks.Clear(); // the tests of this class run one at a time
        var error = new StringWriter();
        var options = new StepwiseHostOptions
        {
            Output = TextWriter.Null,
            Error = error,
            EnvironmentVariables = static _ => null,
            ConfigureServices = services => services.AddSingleton<IDatabaseEngine>(new MemoryEngine(database)),
        };
        options.MigrationTypes.Add(typeof(AddApples));
        options.MigrationTypes.Add(typeof(AddPearsWatchingTheStack));
        string[] connection = ["--connection", "Host=memory;Database=memory"];

        var install = await StepwiseHost.RunAsync(["install", "--version", "9.0.0", .. connection], options, TestContext.Current.CancellationToken);
        var upgrade = await StepwiseHost.RunAsync(["upgrade", "--version", "9.1.0", .. connection], options, TestContext.Current.CancellationToken);

        Assert.True((install, upgrade) == (0, 0), error.ToString());
        var stack = Assert.Single(AddPearsWatchingTheStack.Stacks);
        var path = new List<string>();
        foreach (var frame in stack.GetFrames().Reverse())
        {
            // An async method shows twice: its stub, which only starts it, and its body (the state machine's MoveNext).
            if (frame.GetMethod() is { DeclaringType: { } type } method && Ours.Contains(type.Assembly.GetName().Name)
                && !method.IsDefined(typeof(AsyncStateMachineAttribute), inherit: false))
            {
                path.Add(Hop(type, method.Name));
            }
        }

        // The whole path, from the command line to the migration, not what is left of it after an await.
        Assert.Equal("StepwiseHost.RunAsync", path[0]);
        Assert.Equal("Migration.UpAsync", path[^1]);
        return path;
    }

    // Type.Method, as the doc writes it: a state machine is its method, a lambda a hop of its own; an explicit
    // interface implementation (Stepwise.IMigration.UpAsync, or Stepwise-IMigration-UpAsync as its state machine) is
    // named by its method alone.
    private static string Hop(Type type, string method)
    {
        if (type.Name.StartsWith('<'))
        {
            // A lambda's closure class (<>c, <>c__DisplayClass…) is a hop of its own; a state machine (<RunAsync>d__5) is its method.
            return type.Name.StartsWith("<>", StringComparison.Ordinal) ? Hop(type.DeclaringType!, "lambda") : Hop(type.DeclaringType!, type.Name[1..type.Name.IndexOf('>')]);
        }

        var name = type.Name.Split('`')[0];
        return $"{name}.{method[(method.LastIndexOfAny(['.', '-']) + 1)..]}";
    }

    // The first code span of each numbered line under "One upgrade, hop by hop", without generic arguments or parameters.
    private static List<string> DocumentedHops()
    {
        var doc = File.ReadAllText(Path.Combine(RepositoryLayout.Root, "docs", "architecture.md"));
        var section = doc[doc.IndexOf("## One upgrade, hop by hop", StringComparison.Ordinal)..];
        section = section[..(section.IndexOf("\n## ", 3, StringComparison.Ordinal) is var end and > 0 ? end : section.Length)];
        return [.. HopLine().Matches(section).Select(static m => Generics().Replace(m.Groups[1].Value, ""))];
    }

    [GeneratedRegex(@"^\d+\. `([^`(]+)", RegexOptions.Multiline)]
    private static partial Regex HopLine();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Generics();
}

/// <summary>Adds pears, like <see cref="AddPears"/>, and keeps the stack its Up was called on.</summary>
[Migration("9.1.0", 1)]
public sealed class AddPearsWatchingTheStack() : AddThing("pears")
{
    public static System.Collections.Concurrent.ConcurrentQueue<StackTrace> Stacks { get; } = new();

    public override Task Up(MemoryContext db, CancellationToken ct)
    {
        Stacks.Enqueue(new StackTrace());
        return base.Up(db, ct);
    }
}
