using Stepwise.Hosting;
using Stepwise.Runner;

var options = new StepwiseHostOptions { AssemblyLoader = MigrationAssemblyLoader.Load };
return await StepwiseHost.RunAsync(args, options);
