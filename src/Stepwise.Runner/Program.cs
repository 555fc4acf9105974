using Stepwise.Hosting;
using Stepwise.PostgreSql;
using Stepwise.Runner;

var options = new StepwiseHostOptions
{
    AssemblyLoader = MigrationAssemblyLoader.Load,
    ConfigureServices = static services => services.AddStepwisePostgreSql(),
};
return await StepwiseHost.RunAsync(args, options);
