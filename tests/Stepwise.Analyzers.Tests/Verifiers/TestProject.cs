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
        }

        public abstract class PostgresMigration : Migration<PostgresContext>
        {
        }

        public readonly record struct SqlIdentifier
        {
            public static SqlIdentifier Quote(string name) => default;
        }
        """;

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
        stepwise.Sources.Add(("/Stepwise/GlobalUsings.cs", "global using System; global using System.Threading; global using System.Threading.Tasks; global using System.Collections.Generic;"));
        foreach (var (name, source) in Contract)
        {
            stepwise.Sources.Add(("/Stepwise/" + name, source));
        }

        test.TestState.AdditionalProjects.Add("Stepwise", stepwise);
        test.TestState.AdditionalProjectReferences.Add("Stepwise");
        test.TestState.AdditionalReferences.AddRange(Net100.References.All);
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
        return builder.ToImmutable();
    }
}
