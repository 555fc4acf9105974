using Microsoft.Extensions.DependencyInjection;
using Stepwise.Catalog;

namespace Stepwise.Core.Tests.Catalog;

public sealed class MigrationActivatorTests
{
    [Fact]
    public void ParameterlessMigration_IsCreatedForEachRequest()
    {
        using var provider = new ServiceCollection().AddMigration(typeof(Plain)).BuildServiceProvider();

        var first = provider.GetRequiredService(typeof(Plain));
        var second = provider.GetRequiredService(typeof(Plain));

        Assert.IsType<Plain>(first);
        Assert.NotSame(first, second);
    }

    [Fact]
    public void MigrationWithDependencies_GetsThemFromTheContainer()
    {
        var clock = new Clock();
        using var provider = new ServiceCollection().AddSingleton(clock).AddMigration(typeof(NeedsAClock)).BuildServiceProvider();

        var migration = Assert.IsType<NeedsAClock>(provider.GetRequiredService(typeof(NeedsAClock)));

        Assert.Same(clock, migration.Clock);
    }

    [Fact]
    public void UnregisteredMigration_IsCreatedWithDependenciesFromTheContainer()
    {
        var clock = new Clock();
        using var provider = new ServiceCollection().AddSingleton(clock).BuildServiceProvider();

        var plain = MigrationActivator.CreateInstance(provider, typeof(Plain));
        var withClock = Assert.IsType<NeedsAClock>(MigrationActivator.CreateInstance(provider, typeof(NeedsAClock)));

        Assert.IsType<Plain>(plain);
        Assert.NotSame(plain, MigrationActivator.CreateInstance(provider, typeof(Plain)));
        Assert.Same(clock, withClock.Clock);
    }

    [Fact]
    public void RegistrationByTheTeam_AfterDiscovery_Wins()
    {
        var own = new Plain();
        using var provider = new ServiceCollection().AddMigration(typeof(Plain)).AddTransient(_ => own).BuildServiceProvider();

        Assert.Same(own, provider.GetRequiredService(typeof(Plain)));
    }

    [Fact]
    public void ConstructorThatThrows_SurfacesItsOwnException()
    {
        using var provider = new ServiceCollection().AddMigration(typeof(Throwing)).BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => { provider.GetRequiredService(typeof(Throwing)); });

        Assert.Equal("no feed configured", error.Message);
    }

    public sealed class Clock;

    // The activator needs only constructors: plain classes keep these out of the test catalog and its build rules.
    public sealed class Plain;

    public sealed class NeedsAClock(Clock clock)
    {
        public Clock Clock { get; } = clock;
    }

    public sealed class Throwing
    {
        public Throwing() => throw new InvalidOperationException("no feed configured");
    }
}
