using Stepwise;
using Stepwise.Testing;

[assembly: MigrationProject("ledger")]
[assembly: AssemblyFixture(typeof(PostgresServer))]
