using Stepwise;
using Stepwise.Hosting;

[assembly: MigrationProject("bench")]

return await StepwiseHost.RunAsync(args);
