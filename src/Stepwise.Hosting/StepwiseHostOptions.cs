using System.Reflection;
using Microsoft.Extensions.DependencyInjection;

namespace Stepwise.Hosting;

/// <summary>What a runner executable hosts: its migrations, its extensions, and (for tests) its console and environment.</summary>
public sealed class StepwiseHostOptions
{
    /// <summary>Assemblies to scan for migrations; only those with <c>[assembly: MigrationProject]</c> count.</summary>
    public IList<Assembly> Assemblies { get; } = [];

    /// <summary>
    /// Migration classes to run instead of scanning assemblies (a host that picks its own set, such as a test).
    /// </summary>
    public IList<Type> MigrationTypes { get; } = [];

    /// <summary>
    /// Loads migration assemblies named on the command line. When set, the CLI accepts <c>--assembly</c> and
    /// <c>--assembly-dir</c> (the generic runner).
    /// </summary>
    public Func<IReadOnlyList<string>, IReadOnlyList<string>, IReadOnlyList<Assembly>>? AssemblyLoader { get; set; }

    /// <summary>Registers the team's own services (e.g. dependencies of migrations).</summary>
    public Action<IServiceCollection>? ConfigureServices { get; set; }

    /// <summary>Where results go; standard output when <c>null</c>.</summary>
    public TextWriter? Output { get; set; }

    /// <summary>Where errors and logs go; standard error when <c>null</c>.</summary>
    public TextWriter? Error { get; set; }

    /// <summary>Reads an environment variable; the process environment when <c>null</c>.</summary>
    public Func<string, string?>? EnvironmentVariables { get; set; }
}
