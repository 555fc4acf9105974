using Stepwise.Testing;

namespace Stepwise.PostgreSql.Tests.Cli;

/// <summary>Reads what the runner recorded about the ledger project.</summary>
public static class LedgerState
{
    public static Task<string?> VersionAsync(TestDatabase database) =>
        database.ScalarAsync<string>("SELECT current_version FROM stepwise.project_metadata WHERE project = 'ledger'");

    public static Task<long> HistoryCountAsync(TestDatabase database, string status = "succeeded", string direction = "up") =>
        database.ScalarAsync<long>($"SELECT count(*) FROM stepwise.migration_history WHERE project = 'ledger' AND status = '{status}' AND direction = '{direction}'");

    public static Task<long> AppliedCountAsync(TestDatabase database) =>
        database.ScalarAsync<long>("SELECT count(*) FROM stepwise.applied_migration WHERE project = 'ledger' AND status = 'applied'");
}
