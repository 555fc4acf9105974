using System.Reflection;
using DbUp;

// Usage: Bench.DbUp <connection string>. Applies the embedded scripts not yet in the journal; exit 0 on success.
var upgrader = DeployChanges.To
    .PostgresqlDatabase(args[0])
    .WithScriptsEmbeddedInAssembly(Assembly.GetExecutingAssembly())
    .WithTransactionPerScript()
    .LogToConsole()
    .Build();

var result = upgrader.PerformUpgrade();
if (!result.Successful)
{
    await Console.Error.WriteLineAsync(result.Error.ToString());
    return 1;
}

return 0;
