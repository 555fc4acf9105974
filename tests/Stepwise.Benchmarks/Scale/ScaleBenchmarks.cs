using System.Reflection;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Stepwise.Catalog;
using Stepwise.Planning;
using Stepwise.State;

namespace Stepwise.Benchmarks.Scale;

/// <summary>
/// Discovery, checksum reading and planning for 10,000 migrations across 100 projects (100 real assemblies), the
/// in-process part of every run. Planning covers both runs a deploy sees: an install into an empty database and the
/// nothing-to-do re-run (every migration applied), with the drift check that every run makes.
/// </summary>
[MemoryDiagnoser]
public class ScaleBenchmarks
{
    private IReadOnlyList<Assembly> _assemblies = [];
    private Type[] _types = [];
    private MigrationCatalog _catalog = null!;
    private (ProjectCatalog Catalog, DatabaseState Empty, DatabaseState Applied)[] _projects = [];

    /// <summary>How many projects (assemblies).</summary>
    [Params(100)]
    public int Projects { get; set; }

    /// <summary>How many migrations each project has.</summary>
    [Params(100)]
    public int MigrationsPerProject { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _assemblies = ScaleWorkload.Load(ScaleWorkload.Build(Projects, MigrationsPerProject, Console.Out));
        _catalog = MigrationDiscovery.Discover(_assemblies, new ServiceCollection());
        _types = _catalog.Projects.Values.SelectMany(static p => p.Migrations).Select(static m => m.Type!).ToArray();
        _projects = _catalog.Projects.Values.OrderBy(static p => p.Name, StringComparer.Ordinal)
            .Select(static p => (p, DatabaseState.Empty(p.Name, initialized: true), States.AllApplied(p)))
            .ToArray();
        if (_types.Length != Projects * MigrationsPerProject)
        {
            throw new InvalidOperationException($"Expected {Projects * MigrationsPerProject} migrations, discovered {_types.Length}.");
        }
    }

    /// <summary>What a runner does first: read each assembly's manifest and build the catalog (no class is loaded).</summary>
    [Benchmark]
    public MigrationCatalog Discover() => MigrationDiscovery.Discover(_assemblies, new ServiceCollection());

    /// <summary>The catalog from loaded types, as a host that lists its migrations builds it: manifest lookup by name, validation, ordering.</summary>
    [Benchmark]
    public MigrationCatalog BuildCatalog() => MigrationDiscovery.Build(_types);

    /// <summary>Reading the build-time manifests: every assembly's records of its migrations, checksums and attributes.</summary>
    [Benchmark]
    public int ReadManifests()
    {
        var count = 0;
        foreach (var assembly in _assemblies)
        {
            var manifest = (MigrationManifest)Activator.CreateInstance(assembly.GetCustomAttribute<MigrationManifestAttribute>()!.Manifest)!;
            foreach (var entry in manifest.Migrations)
            {
                count += entry.Checksum.Length;
            }
        }

        return count;
    }

    /// <summary>Planning an install of every project's newest version into an empty database.</summary>
    [Benchmark]
    public int PlanInstallAll()
    {
        var steps = 0;
        foreach (var (catalog, empty, _) in _projects)
        {
            steps += MigrationPlanner.Plan(catalog, empty, new PlanRequest(Operation.Install)).Steps.Count;
        }

        return steps;
    }

    /// <summary>The nothing-to-do re-run for every project: plan an upgrade at the newest version, and check drift.</summary>
    [Benchmark]
    public int PlanNothingToDoAll()
    {
        var drift = 0;
        foreach (var (catalog, _, applied) in _projects)
        {
            var plan = MigrationPlanner.Plan(catalog, applied, new PlanRequest(Operation.Upgrade));
            if (!plan.NothingToDo)
            {
                throw new InvalidOperationException("Expected nothing to do.");
            }

            drift += DriftDetector.Detect(catalog, applied).Count;
        }

        return drift;
    }
}
