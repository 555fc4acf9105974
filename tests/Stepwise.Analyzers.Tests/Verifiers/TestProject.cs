using System.Collections.Immutable;
using System.Reflection;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace Stepwise.Analyzers.Tests.Verifiers;

/// <summary>
/// What every test compilation holds besides the code under test: the real Stepwise contract (src/Stepwise, embedded
/// at build time), a stand-in for PostgresContext with the real SQL-carrying signatures, the implicit usings of an SDK
/// project, and the project attribute.
/// </summary>
internal static class TestProject
{
    public const string GlobalUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.Threading;
        global using System.Threading.Tasks;
        global using Stepwise;
        global using Stepwise.PostgreSql;
        """;

    public const string ProjectAttribute = """[assembly: Stepwise.MigrationProject("orders")]""";

    /// <summary>Stands in for src/Stepwise.PostgreSql, whose real context needs Npgsql and Dapper.</summary>
    public const string PostgresStub = """
        namespace Stepwise.PostgreSql;

        public sealed class PostgresContext : IMigrationContext
        {
            public string Project => "orders";
            public string? Environment => null;
            public MigrationDirection Direction => MigrationDirection.Up;
            public Task<int> ExecuteAsync(string sql, CancellationToken ct) => Task.FromResult(0);
            public Task<int> ExecuteAsync(string sql, object? param, CancellationToken ct) => Task.FromResult(0);
            public Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? param, CancellationToken ct) => Task.FromResult<IReadOnlyList<T>>(Array.Empty<T>());
            public Task<IReadOnlyList<T>> QueryAsync<T>(string sql, CancellationToken ct) => QueryAsync<T>(sql, null, ct);
            public Task<T?> ScalarAsync<T>(string sql, object? param, CancellationToken ct) => Task.FromResult<T?>(default);
            public Task<T?> ScalarAsync<T>(string sql, CancellationToken ct) => ScalarAsync<T>(sql, null, ct);
            public Task<bool> TableExistsAsync(string table, CancellationToken ct) => Task.FromResult(true);
            public Task<bool> ColumnExistsAsync(string table, string column, CancellationToken ct) => Task.FromResult(true);
            public Task<bool> IndexExistsAsync(string index, CancellationToken ct) => Task.FromResult(true);
            public Task RequireTableAsync(string table, CancellationToken ct) => Task.CompletedTask;
            public Task RequireNoTableAsync(string table, CancellationToken ct) => Task.CompletedTask;
            public Task RequireColumnAsync(string table, string column, CancellationToken ct) => Task.CompletedTask;
            public Task RequireNoColumnAsync(string table, string column, CancellationToken ct) => Task.CompletedTask;
            public Task RequireIndexAsync(string index, CancellationToken ct) => Task.CompletedTask;
        }

        public abstract class PostgresMigration : Migration<PostgresContext>
        {
        }

        public readonly record struct SqlIdentifier
        {
            public static SqlIdentifier Quote(string name) => default;
        }
        """;

    /// <summary>Stands in for src/Stepwise.MongoDb's context, with the real driver's types in its signatures.</summary>
    public const string MongoStub = """
        namespace Stepwise.MongoDb;

        using MongoDB.Bson;
        using MongoDB.Driver;

        public sealed class MongoContext : IMigrationContext
        {
            public string Project => "orders";
            public string? Environment => null;
            public MigrationDirection Direction => MigrationDirection.Up;
            public IMongoDatabase Database => null!;
            public IMongoClient Client => Database.Client;
            public IClientSessionHandle Session => null!;
            public IMongoCollection<BsonDocument> Collection(string name) => Database.GetCollection<BsonDocument>(name);
            public Task<BsonDocument> RunCommandAsync(BsonDocument command, CancellationToken ct) => Task.FromResult(command);
            public Task CreateCollectionAsync(string name, CancellationToken ct) => Task.CompletedTask;
            public Task DropCollectionAsync(string name, CancellationToken ct) => Task.CompletedTask;
            public Task<string> CreateIndexAsync(string collection, BsonDocument keys, string name, bool unique, CancellationToken ct) => Task.FromResult(name);
            public Task DropIndexAsync(string collection, string name, CancellationToken ct) => Task.CompletedTask;
            public Task<long> UpdateManyAsync(string collection, BsonDocument filter, BsonDocument update, CancellationToken ct) => Task.FromResult(0L);
            public Task<long> CountAsync(string collection, BsonDocument filter, CancellationToken ct) => Task.FromResult(0L);
            public Task RequireCollectionAsync(string name, CancellationToken ct) => Task.CompletedTask;
            public Task RequireNoCollectionAsync(string name, CancellationToken ct) => Task.CompletedTask;
            public Task RequireIndexAsync(string collection, string index, CancellationToken ct) => Task.CompletedTask;
            public Task RequireNoIndexAsync(string collection, string index, CancellationToken ct) => Task.CompletedTask;
        }

        public abstract class MongoMigration : Migration<MongoContext>
        {
        }
        """;

    /// <summary>The MongoDB driver's assemblies, for the stand-in and the MongoDB rules' tests.</summary>
    public static readonly ImmutableArray<MetadataReference> MongoDriver =
    [
        MetadataReference.CreateFromFile(typeof(MongoDB.Driver.IMongoDatabase).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(MongoDB.Bson.BsonDocument).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.Logging.ILogger).Assembly.Location),
    ];

    private static readonly Lazy<ImmutableArray<(string Name, string Source)>> ContractSources = new(LoadContract);

    /// <summary>The contract and the PostgreSQL stand-in, compiled as a referenced project named Stepwise.</summary>
    public static ImmutableArray<(string Name, string Source)> Contract => ContractSources.Value;

    /// <summary>References and the Stepwise project; the support sources are added after the code under test (see <see cref="AddSupportSources"/>).</summary>
    public static void Configure<TVerifier>(AnalyzerTest<TVerifier> test)
        where TVerifier : IVerifier, new()
    {
        test.ReferenceAssemblies = new ReferenceAssemblies("net10.0");
        var stepwise = new ProjectState("Stepwise", LanguageNames.CSharp, "/Stepwise/Test", "cs");
        stepwise.AdditionalReferences.AddRange(Net100.References.All);
        stepwise.AdditionalReferences.AddRange(MongoDriver);
        stepwise.Sources.Add(("/Stepwise/GlobalUsings.cs", "global using System; global using System.Threading; global using System.Threading.Tasks; global using System.Collections.Generic;"));
        foreach (var (name, source) in Contract)
        {
            stepwise.Sources.Add(("/Stepwise/" + name, source));
        }

        test.TestState.AdditionalProjects.Add("Stepwise", stepwise);
        test.TestState.AdditionalProjectReferences.Add("Stepwise");
        test.TestState.AdditionalReferences.AddRange(Net100.References.All);
        test.TestState.AdditionalReferences.AddRange(MongoDriver);
    }

    /// <summary>Adds the implicit usings and the project attribute after the code under test, which stays /0/Test0.cs.</summary>
    public static void AddSupportSources(SolutionState state, bool withProjectAttribute)
    {
        state.Sources.Add(("/0/GlobalUsings.cs", GlobalUsings));
        if (withProjectAttribute)
        {
            state.Sources.Add(("/0/Project.cs", ProjectAttribute));
        }
    }

    private static ImmutableArray<(string Name, string Source)> LoadContract()
    {
        var assembly = typeof(TestProject).Assembly;
        var builder = ImmutableArray.CreateBuilder<(string, string)>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("Contract/", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            builder.Add((resource["Contract/".Length..], reader.ReadToEnd()));
        }

        builder.Add(("PostgreSql.cs", PostgresStub));
        builder.Add(("MongoDb.cs", MongoStub));
        return builder.ToImmutable();
    }
}
