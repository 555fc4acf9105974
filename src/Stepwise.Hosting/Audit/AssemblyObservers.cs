using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Stepwise.Hosting.Audit;

/// <summary>A team's own audit sinks and run observers, as its migrations assembly names them.</summary>
internal static class AssemblyObservers
{
    /// <summary>
    /// Registers the audit sinks and run observers the migrations assemblies name (<see cref="StepwiseObserverAttribute"/>,
    /// written by the generator): one instance each, under every one of the two interfaces it implements. A named class
    /// that implements neither (another library's interface of the same name) is left out.
    /// </summary>
    public static void Register(IServiceCollection services, IEnumerable<Assembly> assemblies)
    {
        foreach (var assembly in assemblies.Distinct())
        {
            foreach (var named in assembly.GetCustomAttributes<StepwiseObserverAttribute>())
            {
                var type = named.Observer;
                var sink = typeof(Observing.IAuditSink).IsAssignableFrom(type);
                var observer = typeof(Observing.IRunObserver).IsAssignableFrom(type);
                if (!sink && !observer)
                {
                    continue;
                }

                services.TryAddSingleton(type);
                if (sink)
                {
                    services.AddSingleton(provider => (Observing.IAuditSink)provider.GetRequiredService(type));
                }

                if (observer)
                {
                    services.AddSingleton(provider => (Observing.IRunObserver)provider.GetRequiredService(type));
                }
            }
        }
    }
}
