using BenchmarkDotNet.Attributes;
using Stepwise.Catalog;
using Stepwise.Planning;
using Stepwise.State;

namespace Stepwise.Benchmarks.Scale;

/// <summary>
/// The pure planner on one project of 10,000 hand-built descriptors, in two shapes: ten migrations per version, and
/// the worst case of one version per migration (every migration its own release), which exposes any work that grows
/// with versions times migrations.
/// </summary>
[MemoryDiagnoser]
public class PlannerShapeBenchmarks
{
    private ProjectCatalog _catalog = null!;
    private DatabaseState _empty = null!;
    private DatabaseState _applied = null!;

    /// <summary>Migrations in the project.</summary>
    [Params(10_000)]
    public int Migrations { get; set; }

    /// <summary>Migrations per version.</summary>
    [Params(10, 1)]
    public int PerVersion { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _catalog = Descriptors.Project("big", Migrations, PerVersion);
        _empty = DatabaseState.Empty("big", initialized: true);
        _applied = States.AllApplied(_catalog);
    }

    /// <summary>Sorting and indexing the descriptors into a catalog.</summary>
    [Benchmark]
    public ProjectCatalog Catalog() => new("big", _catalog.Migrations);

    /// <summary>Install into an empty database.</summary>
    [Benchmark]
    public int PlanInstall() => MigrationPlanner.Plan(_catalog, _empty, new PlanRequest(Operation.Install)).Steps.Count;

    /// <summary>The nothing-to-do re-run: upgrade at the newest version, plus the drift check.</summary>
    [Benchmark]
    public int PlanNothingToDo() =>
        MigrationPlanner.Plan(_catalog, _applied, new PlanRequest(Operation.Upgrade)).Steps.Count + DriftDetector.Detect(_catalog, _applied).Count;
}
