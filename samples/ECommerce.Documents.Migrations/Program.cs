using Stepwise;
using Stepwise.Hosting;

[assembly: MigrationProject("e-commerce-api")]

return await StepwiseHost.RunAsync(args);
