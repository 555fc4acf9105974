using Stepwise;
using Stepwise.Hosting;

[assembly: MigrationProject("drill")]

return await StepwiseHost.RunAsync(args);
