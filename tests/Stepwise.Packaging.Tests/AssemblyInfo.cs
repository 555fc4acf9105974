using Stepwise.Packaging.Tests;
using Stepwise.Testing;

// Packed once for every test of the run; the database server likewise.
[assembly: AssemblyFixture(typeof(PackedFeed))]
[assembly: AssemblyFixture(typeof(PostgresServer))]
