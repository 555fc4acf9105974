using FluentMigrator.Runner;
using Microsoft.Extensions.DependencyInjection;

// Usage: Bench.FluentMigrator <connection string>. Applies the migrations not yet in the version table.
using var services = new ServiceCollection()
    .AddFluentMigratorCore()
    .ConfigureRunner(runner => runner
        .AddPostgres()
        .WithGlobalConnectionString(args[0])
        .ScanIn(typeof(Program).Assembly).For.Migrations())
    .AddLogging(logging => logging.AddFluentMigratorConsole())
    .BuildServiceProvider(validateScopes: false);

using var scope = services.CreateScope();
scope.ServiceProvider.GetRequiredService<IMigrationRunner>().MigrateUp();
return 0;

