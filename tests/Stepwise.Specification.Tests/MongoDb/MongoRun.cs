using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Stepwise.Catalog;
using Stepwise.Execution;
using Stepwise.MongoDb;
using Stepwise.Planning;
using Stepwise.Testing;
using Stepwise.Versioning;

namespace Stepwise.Specification.Tests.MongoDb;

/// <summary>A run of the MongoDB engine over the given migrations of project "spec", as the runner makes it.</summary>
internal static class MongoRun
{
    public static Task<RunResult> RunAsync(MongoTestDatabase db, Type[] migrations, Operation operation, string version, TimeSpan lockTimeout) =>
        new MigrationOrchestrator(new MongoEngine(), new ServiceCollection().BuildServiceProvider(), NullLogger<MigrationOrchestrator>.Instance)
            .RunAsync(MigrationDiscovery.Build(migrations).Resolve("spec"), new PlanRequest(operation, ProjectVersion.Parse(version)),
                new RunOptions { Session = new SessionOptions(new DatabaseEndpoint { ConnectionString = db.Url }), LockTimeout = lockTimeout },
                TestContext.Current.CancellationToken);
}
