using Npgsql;

// Usage: Bench.NpgsqlFloor <connection string> <all.sql> <last table>. If the last table exists there is nothing to
// do; otherwise the whole script runs in one transaction. No history, no checksums, no lock: the least a .NET
// process can do for the same result.
await using var connection = new NpgsqlConnection(args[0]);
await connection.OpenAsync();

await using (var probe = new NpgsqlCommand("SELECT to_regclass($1) IS NOT NULL", connection) { Parameters = { new() { Value = args[2] } } })
{
    if ((bool)(await probe.ExecuteScalarAsync())!)
    {
        return 0;
    }
}

var script = await File.ReadAllTextAsync(args[1]);
await using var transaction = await connection.BeginTransactionAsync();
await using (var apply = new NpgsqlCommand(script, connection, transaction))
{
    await apply.ExecuteNonQueryAsync();
}

await transaction.CommitAsync();
return 0;
