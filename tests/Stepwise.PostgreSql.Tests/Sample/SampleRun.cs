using ECommerce.Migrations.Migrations;
using Stepwise.Hosting;
using Stepwise.PostgreSql.Tests.Cli;
using Stepwise.Testing;

namespace Stepwise.PostgreSql.Tests.Sample;

/// <summary>Runs the e-commerce sample's migrations (with its embedded project-config.yaml) through the command line, in-process.</summary>
public static class SampleRun
{
    public static async Task<CliRun> RunAsync(TestDatabase db, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var options = new StepwiseHostOptions { Output = output, Error = error, EnvironmentVariables = static _ => null };
        options.Assemblies.Add(typeof(CreateUsersTable).Assembly);
        var exit = await StepwiseHost.RunAsync([.. args, "--connection", db.ConnectionString], options, TestContext.Current.CancellationToken);
        return new CliRun(exit, output.ToString(), error.ToString());
    }

    public static Task<string?> HistoryNamesAsync(TestDatabase db, string direction = "up") =>
        db.ScalarAsync<string>($"SELECT string_agg(name, ',' ORDER BY id) FROM stepwise.migration_history WHERE project = 'e-commerce-api' AND direction = '{direction}' AND status = 'succeeded'");
}
