using Stepwise.Testing;

[assembly: AssemblyFixture(typeof(PostgresServer))]
