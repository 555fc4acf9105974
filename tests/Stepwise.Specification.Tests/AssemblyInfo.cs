using Stepwise;
using Stepwise.Testing;

[assembly: MigrationProject("spec")]
[assembly: AssemblyFixture(typeof(PostgresServer))]
[assembly: AssemblyFixture(typeof(MongoServer))]
[assembly: AssemblyFixture(typeof(MongoStandaloneServer))]
