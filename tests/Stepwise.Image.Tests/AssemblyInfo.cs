using Stepwise.Testing;

[assembly: AssemblyFixture(typeof(PostgresServer))]
[assembly: AssemblyFixture(typeof(Stepwise.Image.Tests.RunnerImage))]
[assembly: AssemblyFixture(typeof(Stepwise.Image.Tests.DocumentsRunnerImage))]
