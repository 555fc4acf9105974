using System.Text.RegularExpressions;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Stepwise.Analyzers.Tests.Verifiers;

namespace Stepwise.Analyzers.Tests;

public sealed partial class MigrationChecksumGeneratorTests
{
    private const string Migration = """
        [Migration("1.1.0", 1)]
        public sealed class AddOrders : PostgresMigration
        {
            public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("CREATE TABLE orders (id bigint)", ct);

            public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("DROP TABLE orders", ct);
        }
        """;

    [Fact]
    public void EveryVisibleMigration_GetsAChecksumAttributeThatCompiles()
    {
        var (checksums, _, diagnostics) = Run(Migration + """

            public static class Nested
            {
                [Migration("1.1.0", 2)]
                internal sealed class AddItems : PostgresMigration
                {
                    public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("CREATE TABLE items (id bigint)", ct);
                }
            }
            """);

        Assert.Empty(diagnostics);
        Assert.Equal(["global::AddOrders", "global::Nested.AddItems"], checksums.Keys.Order(StringComparer.Ordinal));
        Assert.All(checksums.Values, c => Assert.Matches("^[0-9a-f]{64}$", c));
    }

    [Theory]
    [InlineData("CREATE TABLE orders (id bigint)", "CREATE TABLE orders (id bigint NOT NULL)")]
    [InlineData("DROP TABLE orders", "DROP TABLE IF EXISTS orders")]
    [InlineData("[Migration(\"1.1.0\", 1)]", "[Migration(\"1.1.0\", 2)]")]
    [InlineData("=> db.ExecuteAsync(\"DROP TABLE orders\", ct);", "=> db.ExecuteAsync(\"DROP TABLE orders\", CancellationToken.None);")]
    public void ChangeOfSqlOrLogic_ChangesTheChecksum(string before, string after)
    {
        var original = Checksum(Migration);
        var changed = Checksum(Migration.Replace(before, after, StringComparison.Ordinal));
        Assert.NotEqual(original, changed);
    }

    [Fact]
    public void WhitespaceAndComments_KeepTheChecksum()
    {
        var reformatted = """
            // Orders, introduced in 1.1.0.
            [Migration( "1.1.0",1 )]
            public sealed class AddOrders
                : PostgresMigration
            {
                /// <summary>Creates the table.</summary>
                public override Task Up(PostgresContext db, CancellationToken ct) =>
                    db.ExecuteAsync("CREATE TABLE orders (id bigint)", ct); // the whole schema

                /* Rollback. */
                public override Task Down(PostgresContext db,
                                          CancellationToken ct) => db.ExecuteAsync("DROP TABLE orders", ct);
            }
            """;

        Assert.Equal(Checksum(Migration), Checksum(reformatted));
    }

    [Fact]
    public void PartialMigration_IsHashedWholeAndIndependentOfFileOrder()
    {
        const string First = """
            [Migration("1.1.0", 1)]
            public sealed partial class AddOrders : PostgresMigration
            {
                public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("CREATE TABLE orders (id bigint)", ct);
            }
            """;
        const string Second = """
            public sealed partial class AddOrders
            {
                public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("DROP TABLE orders", ct);
            }
            """;

        var forward = Run(First, Second).Checksums;
        var backward = Run(Second, First).Checksums;
        var secondChanged = Run(First, Second.Replace("DROP TABLE orders", "DROP TABLE orders CASCADE", StringComparison.Ordinal)).Checksums;

        Assert.Single(forward);
        Assert.Equal(forward, backward);
        Assert.NotEqual(forward["global::AddOrders"], secondChanged["global::AddOrders"]);
    }

    [Fact]
    public void DeclaredOverrides_ListTheChecksEveryPartOverrides()
    {
        const string First = """
            [Migration("1.1.0", 1)]
            public sealed partial class AddOrders : PostgresMigration
            {
                public override Task PreCheck(PostgresContext db, CancellationToken ct) => Task.CompletedTask;

                public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("CREATE TABLE orders (id bigint)", ct);
            }
            """;
        const string Second = """
            public sealed partial class AddOrders
            {
                public override Task Validate(PostgresContext db, CancellationToken ct) => Task.CompletedTask;

                // Not an override: a method of the same name that the runner never calls.
                public Task Down(string reason) => Task.CompletedTask;
            }

            [Migration("1.1.0", 2)]
            public sealed class SeedOrders : PostgresMigration
            {
                public override Task Up(PostgresContext db, CancellationToken ct) => Task.CompletedTask;
            }
            """;

        var (_, overrides, diagnostics) = Run(First, Second);

        Assert.Empty(diagnostics);
        Assert.Equal("PreCheck Validate", overrides["global::AddOrders"]);
        Assert.Equal("", overrides["global::SeedOrders"]);
        Assert.Equal("Down", Run(Migration).Overrides["global::AddOrders"]);
    }

    [Fact]
    public void PrivateNestedAbstractAndGenericTypes_AreSkipped()
    {
        var (checksums, _, diagnostics) = Run("""
            public static class Holder
            {
                [Migration("1.1.0", 1)]
                private sealed class Hidden : PostgresMigration
                {
                    public override Task Up(PostgresContext db, CancellationToken ct) => Task.CompletedTask;
                }
            }

            [Migration("1.1.0", 2)]
            public abstract class Base : PostgresMigration
            {
            }

            public class Outer<T>
            {
                [Migration("1.1.0", 3)]
                public sealed class Inner : PostgresMigration
                {
                    public override Task Up(PostgresContext db, CancellationToken ct) => Task.CompletedTask;
                }
            }
            """);

        Assert.Empty(diagnostics);
        Assert.Empty(checksums);
    }

    private static string Checksum(string source) => Assert.Single(Run(source).Checksums).Value;

    private static (Dictionary<string, string> Checksums, Dictionary<string, string> Overrides, IReadOnlyList<Diagnostic> Diagnostics) Run(
        params string[] sources)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = TestProject.Contract.Select(c => c.Source)
            .Append(TestProject.GlobalUsings)
            .Append(TestProject.ProjectAttribute)
            .Concat(sources)
            .Select((s, i) => CSharpSyntaxTree.ParseText(s, parse, path: $"File{i}.cs", cancellationToken: TestContext.Current.CancellationToken));
        var compilation = CSharpCompilation.Create(
            "Migrations", trees, Net100.References.All, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        GeneratorDriver driver = CSharpGeneratorDriver.Create([new MigrationChecksumGenerator().AsSourceGenerator()], parseOptions: parse);
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out _, TestContext.Current.CancellationToken);

        var generated = driver.GetRunResult().GeneratedTrees.SingleOrDefault()?.ToString() ?? string.Empty;
        var attributes = ChecksumAttribute().Matches(generated);
        var checksums = attributes.ToDictionary(m => m.Groups["type"].Value, m => m.Groups["sum"].Value);
        var overrides = attributes.ToDictionary(m => m.Groups["type"].Value, m => m.Groups["overrides"].Value);
        var errors = output.GetDiagnostics(TestContext.Current.CancellationToken).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        return (checksums, overrides, errors);
    }

    [GeneratedRegex("""MigrationChecksumAttribute\(typeof\((?<type>[^)]+)\), "(?<sum>[0-9a-f]+)", DeclaredOverrides = "(?<overrides>[A-Za-z ]*)"\)""")]
    private static partial Regex ChecksumAttribute();
}
