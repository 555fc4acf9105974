using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Stepwise.Configuration;
using Stepwise.Execution;

namespace Stepwise.Hosting.Cli;

/// <summary>
/// Which engines a runner has, and which one a command uses. The host references no engine: a migrations assembly names
/// the engines it references (<see cref="StepwiseEngineAttribute"/>, written by the generator), and a host may add its
/// own (<c>services.AddStepwisePostgreSql()</c>).
/// </summary>
internal static class EngineChoice
{
    /// <summary>Registers the engines the migrations assemblies name.</summary>
    public static void Register(IServiceCollection services, IEnumerable<Assembly> assemblies)
    {
        foreach (var assembly in assemblies.Distinct())
        {
            foreach (var engine in assembly.GetCustomAttributes<StepwiseEngineAttribute>())
            {
                services.TryAddEnumerable(ServiceDescriptor.Singleton(typeof(IDatabaseEngine), engine.Engine));
            }
        }
    }

    /// <summary>
    /// The engine for a command: <c>--database-type</c> when given (it must be one that <c>spec.databases</c> declares,
    /// when it declares any), else the one type <c>spec.databases</c> declares, else the runner's only engine, else
    /// PostgreSQL.
    /// </summary>
    /// <exception cref="StepwiseException">The type is not declared, or the runner lacks its engine (kind <see cref="FailureKind.Usage"/>).</exception>
    public static IDatabaseEngine Choose(IReadOnlyList<IDatabaseEngine> engines, string? asked, string? project, ProjectConfig? config)
    {
        var declared = config?.Databases.Values.Select(static d => d.Type).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray() ?? [];
        var file = config?.Source ?? "project-config.yaml";
        if (asked is not null && declared.Length > 0 && !declared.Contains(asked, StringComparer.Ordinal))
        {
            throw new StepwiseException(FailureKind.Usage,
                $"--database-type {asked}, but spec.databases in {file} of {project} declares {string.Join(" and ", declared)}. " +
                $"Choose {string.Join(" or ", declared)}, or declare the {asked} database in spec.databases.");
        }

        if (asked is null && declared.Length > 1)
        {
            throw new StepwiseException(FailureKind.Usage,
                $"spec.databases in {file} of {project} declares {string.Join(" and ", declared)}: say which with --database-type.");
        }

        var type = asked ?? declared.SingleOrDefault() ?? (engines.Count == 1 ? engines[0].Name : "postgresql");
        if (engines.FirstOrDefault(e => e.Name == type) is { } engine)
        {
            return engine;
        }

        var package = KnownEngines.PackageOf(type) ?? "the Stepwise package of that database";
        var present = engines.Count == 0 ? "it has none" : $"it has {string.Join(" and ", engines.Select(static e => e.Name).Order(StringComparer.Ordinal))}";
        throw new StepwiseException(FailureKind.Usage,
            $"This runner has no {type} engine ({present}): add a PackageReference to {package} to the migrations project, and build it again.");
    }
}
