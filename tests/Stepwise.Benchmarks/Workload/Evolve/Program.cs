using Npgsql;

// Usage: Bench.Evolve <connection string>. Applies the SQL files of migrations/ not yet in the changelog.
using var connection = new NpgsqlConnection(args[0]);
var evolve = new EvolveDb.Evolve(connection, Console.WriteLine)
{
    Locations = [Path.Combine(AppContext.BaseDirectory, "migrations")],
    IsEraseDisabled = true,
};
evolve.Migrate();
return 0;
