using Stepwise;
using Stepwise.Hosting;

[assembly: MigrationProject("company-service")]

// The runner: install, upgrade, rollback, status, plan, ... (dotnet run -- --help).
return await StepwiseHost.RunAsync(args);
