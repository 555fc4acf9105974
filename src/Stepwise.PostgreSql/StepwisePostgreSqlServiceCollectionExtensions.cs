using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Stepwise.Execution;

[assembly: Stepwise.StepwiseEngine(typeof(Stepwise.PostgreSql.PostgresEngine))]

namespace Stepwise.PostgreSql;

/// <summary>Registers the PostgreSQL engine with a runner's services.</summary>
public static class StepwisePostgreSqlServiceCollectionExtensions
{
    /// <summary>
    /// Adds the PostgreSQL engine (<c>--database-type postgresql</c>). A migrations project that references this package
    /// needs no call: the runner finds the engine through the attribute the Stepwise generator writes.
    /// </summary>
    public static IServiceCollection AddStepwisePostgreSql(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDatabaseEngine, PostgresEngine>());
        return services;
    }
}
