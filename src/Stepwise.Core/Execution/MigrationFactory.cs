using System.Diagnostics.CodeAnalysis;
using Stepwise.Catalog;

namespace Stepwise.Execution;

/// <summary>Creates migrations: through the container when the team registered the class, else as <see cref="MigrationActivator"/> builds it.</summary>
internal sealed class MigrationFactory(IServiceProvider services)
{
    /// <exception cref="InvalidOperationException">The descriptor has no class (built by hand).</exception>
    [UnconditionalSuppressMessage("Trimming", "IL2072", Justification = MigrationDiscovery.ManifestKeepsMembers)]
    public IMigration Create(MigrationDescriptor migration)
    {
        var type = migration.Type ?? throw new InvalidOperationException($"Migration {migration.Name} has no class to run.");
        return (IMigration)(services.GetService(type) ?? MigrationActivator.CreateInstance(services, type));
    }
}
