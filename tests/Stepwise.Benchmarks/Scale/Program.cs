using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Running;
using Microsoft.Extensions.DependencyInjection;
using Stepwise.Benchmarks.Scale;
using Stepwise.Catalog;
using Stepwise.Planning;

// Stepwise.Benchmarks.Scale [BenchmarkDotNet arguments]   the benchmarks (e.g. --filter '*' --job short)
// Stepwise.Benchmarks.Scale --cold [PROJECTS [MIGRATIONS]] one cold pass in this fresh process, as a runner makes it
// Stepwise.Benchmarks.Scale --cold-one [PROJECTS [MIGRATIONS]] the same for one project given every assembly, as a runner
//                                                      started with --project and --assembly-dir makes it
// Stepwise.Benchmarks.Scale --build [PROJECTS [MIGRATIONS]] compiles (or finds) the assemblies and prints their paths
if (args is ["--build", .. var buildShape])
{
    var (projects, migrations) = Shape(buildShape);
    foreach (var path in ScaleWorkload.Build(projects, migrations, Console.Error))
    {
        Console.WriteLine(path);
    }

    return 0;
}

if (args is ["--cold", .. var coldShape])
{
    var (projects, migrations) = Shape(coldShape);
    var paths = ScaleWorkload.Build(projects, migrations, Console.Error);
    Cold(paths, projects * migrations);
    return 0;
}

if (args is ["--cold-one", .. var oneShape])
{
    var (projects, migrations) = Shape(oneShape);
    var paths = ScaleWorkload.Build(projects, migrations, Console.Error);
    ColdOne(paths, migrations);
    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(ScaleBenchmarks).Assembly).Run(args);
return 0;

static (int Projects, int Migrations) Shape(string[] rest) => (
    rest.Length > 0 ? int.Parse(rest[0], CultureInfo.InvariantCulture) : 100,
    rest.Length > 1 ? int.Parse(rest[1], CultureInfo.InvariantCulture) : 100);

// What a runner does once it knows the project: plan the upgrade of a database at the newest version, check for drift.
static MigrationPlan PlanNothingToDo(ProjectCatalog project)
{
    var applied = States.AllApplied(project);
    var plan = MigrationPlanner.Plan(project, applied, new PlanRequest(Operation.Upgrade));
    DriftDetector.Detect(project, applied);
    return plan;
}

// One pass with nothing warmed up: the first call of each step pays for loading and JIT, as it does in a runner.
static void Cold(IReadOnlyList<string> paths, int expected)
{
    var total = Stopwatch.StartNew();
    var step = Stopwatch.StartNew();
    var assemblies = ScaleWorkload.Load(paths);
    var load = step.Elapsed;

    step.Restart();
    var catalog = MigrationDiscovery.Discover(assemblies, new ServiceCollection());
    var discover = step.Elapsed;
    var found = catalog.Projects.Values.Sum(static p => p.Migrations.Count);
    if (found != expected)
    {
        throw new InvalidOperationException($"Expected {expected} migrations, discovered {found}.");
    }

    var projects = catalog.Projects.Values.OrderBy(static p => p.Name, StringComparer.Ordinal).ToArray();
    step.Restart();
    var first = PlanNothingToDo(projects[0]);
    var planOne = step.Elapsed;

    step.Restart();
    var installSteps = 0;
    foreach (var project in projects)
    {
        var applied = States.AllApplied(project);
        installSteps += MigrationPlanner.Plan(project, Stepwise.State.DatabaseState.Empty(project.Name, true), new PlanRequest(Operation.Install)).Steps.Count;
        if (!MigrationPlanner.Plan(project, applied, new PlanRequest(Operation.Upgrade)).NothingToDo || DriftDetector.Detect(project, applied).Count > 0)
        {
            throw new InvalidOperationException($"{project.Name}: expected nothing to do and no drift.");
        }
    }

    var planAll = step.Elapsed;
    total.Stop();

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"""
        cold pass, {projects.Length} projects, {found} migrations ({(first.NothingToDo ? "ok" : "unexpected plan")}, {installSteps} install steps planned)
          load assemblies                              {load.TotalMilliseconds,8:0.0} ms
          discovery (manifests, attributes, checks)     {discover.TotalMilliseconds,8:0.0} ms
          plan + drift, first project (nothing to do)  {planOne.TotalMilliseconds,8:0.0} ms
          plan install + nothing-to-do + drift, all    {planAll.TotalMilliseconds,8:0.0} ms
          discovery + planning (one project)           {(discover + planOne).TotalMilliseconds,8:0.0} ms
          total                                        {total.Elapsed.TotalMilliseconds,8:0.0} ms
        """));
}

static void ColdOne(IReadOnlyList<string> paths, int expected)
{
    var total = Stopwatch.StartNew();
    var step = Stopwatch.StartNew();
    var assemblies = ScaleWorkload.Load(paths);
    var load = step.Elapsed;

    step.Restart();
    var catalog = MigrationDiscovery.Discover(assemblies, new ServiceCollection(), "scale-p001");
    var discover = step.Elapsed;
    var project = catalog.Resolve("scale-p001");
    if (project.Migrations.Count != expected || catalog.KnownProjects.Count != paths.Count)
    {
        throw new InvalidOperationException($"Expected {expected} migrations of scale-p001 and {paths.Count} known projects.");
    }

    step.Restart();
    var plan = PlanNothingToDo(project);
    var planOne = step.Elapsed;

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"""
        cold pass, project scale-p001 of {catalog.KnownProjects.Count} ({(plan.NothingToDo ? "ok" : "unexpected plan")})
          load assemblies                              {load.TotalMilliseconds,8:0.0} ms
          discovery of scale-p001                      {discover.TotalMilliseconds,8:0.0} ms
          plan + drift (nothing to do)                 {planOne.TotalMilliseconds,8:0.0} ms
          discovery + planning                         {(discover + planOne).TotalMilliseconds,8:0.0} ms
          total                                        {total.Elapsed.TotalMilliseconds,8:0.0} ms
        """));
}
