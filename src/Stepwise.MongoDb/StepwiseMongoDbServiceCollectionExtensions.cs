using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Stepwise.Execution;

[assembly: Stepwise.StepwiseEngine(typeof(Stepwise.MongoDb.MongoEngine))]

namespace Stepwise.MongoDb;

/// <summary>Registers the MongoDB engine with a runner's services.</summary>
public static class StepwiseMongoDbServiceCollectionExtensions
{
    /// <summary>
    /// Adds the MongoDB engine (<c>--database-type mongodb</c>). A migrations project that references this package needs
    /// no call: the runner finds the engine through the attribute the Stepwise generator writes.
    /// </summary>
    public static IServiceCollection AddStepwiseMongoDb(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDatabaseEngine, MongoEngine>());
        return services;
    }
}
