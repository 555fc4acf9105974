using System.Globalization;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Stepwise.Analyzers.Tests.Verifiers;

namespace Stepwise.Analyzers.Tests;

public sealed class MigrationManifestGeneratorTests
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
    public void EveryVisibleMigration_GetsAManifestEntryThatCompiles()
    {
        var output = Run(Migration + """

            namespace Orders.Schema
            {
                public static class Nested
                {
                    [Migration("1.1.0", 2)]
                    internal sealed class @AddItems : PostgresMigration
                    {
                        public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("CREATE TABLE items (id bigint)", ct);
                    }
                }
            }
            """);

        Assert.Empty(output.Diagnostics);
        Assert.Equal(["global::AddOrders", "global::Orders.Schema.Nested.@AddItems"], output.Checksums.Keys.Order(StringComparer.Ordinal));
        Assert.All(output.Checksums.Values, c => Assert.Matches("^[0-9a-f]{64}$", c));
        // What Type.FullName gives, so the runner can name a class it has not loaded.
        Assert.Equal("Orders.Schema.Nested+AddItems", output.FullNames["global::Orders.Schema.Nested.@AddItems"]);
        Assert.Equal("AddOrders", output.FullNames["global::AddOrders"]);
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

        var (_, overrides, _, diagnostics, _) = Run(First, Second);

        Assert.Empty(diagnostics);
        Assert.Equal("PreCheck Validate OneStatementUp", overrides["global::AddOrders"]);
        Assert.Equal("", overrides["global::SeedOrders"]);
        Assert.Equal("Down OneStatementUp", Run(Migration).Overrides["global::AddOrders"]);
    }

    [Theory]
    [InlineData("public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync(\"CREATE TABLE orders (id bigint)\", ct);", true)]
    [InlineData("public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync(\"CREATE TABLE \" + (Sql.Orders + \";\"), ct);", true)]
    [InlineData("public override async Task Up(PostgresContext db, CancellationToken ct) { await db.ExecuteAsync(Sql.Orders, ct); }", true)]
    [InlineData("public override Task Up(PostgresContext context, CancellationToken token) { return context.ExecuteAsync(Sql.Orders, token); }", true)]
    [InlineData("public override async Task Up(PostgresContext db, CancellationToken ct) { Sql.Log(); await db.ExecuteAsync(Sql.Orders, ct); }", false)]
    [InlineData("public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync(Sql.Build(), ct);", false)]
    [InlineData("public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync($\"CREATE TABLE {Sql.Orders}\", ct);", false)]
    [InlineData("public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync(Sql.Orders, CancellationToken.None);", false)]
    [InlineData("public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync(Sql.Orders, new { id = 1 }, ct);", false)]
    [InlineData("public override Task Up(PostgresContext db, CancellationToken ct) => Sql.Other.ExecuteAsync(Sql.Orders, ct);", false)]
    [InlineData("public override Task Up(PostgresContext db, CancellationToken ct) => db.ScalarAsync<int>(Sql.Orders, ct);", false)]
    public void UpThatOnlySendsOneStatementOfFixedText_IsRecorded(string up, bool oneStatement)
    {
        var (_, overrides, _, diagnostics, _) = Run($$"""
            public static class Sql
            {
                public const string Orders = "CREATE TABLE orders (id bigint)";

                public static PostgresContext Other => null!;

                public static string Build() => Orders;

                public static void Log() { }
            }

            [Migration("1.1.0", 1)]
            public sealed class AddOrders : PostgresMigration
            {
                {{up}}

                public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("DROP TABLE orders", ct);
            }
            """);

        Assert.Empty(diagnostics);
        Assert.Equal(oneStatement ? "Down OneStatementUp" : "Down", overrides["global::AddOrders"]);
    }

    [Fact]
    public void PrivateNestedAbstractAndGenericTypes_AreSkipped()
    {
        var (checksums, _, _, diagnostics, _) = Run("""
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

    [Fact]
    public void LiteralAttributes_AreRecordedAsTheSameObjects()
    {
        var (_, _, attributes, diagnostics, _) = Run(""""
            [Stepwise.Migration("2.0.0", 3, Description = @"Split ""orders""", Path = MigrationPath.Upgrade, From = "1.0.0", Phase = Stepwise.MigrationPhase.DataMigration)]
            [NonTransactionalAttribute("""
                CREATE INDEX CONCURRENTLY
                """)]
            [Irreversible("the old column is dropped")]
            [Changes("orders", "order_lines")]
            [Obsolete("not a Stepwise attribute, so not recorded")]
            public sealed class SplitOrders : PostgresMigration
            {
                public override Task Up(PostgresContext db, CancellationToken ct) => Task.CompletedTask;
            }
            """");

        Assert.Empty(diagnostics);
        Assert.Equal(
            "2.0.0 | 3 | Split \"orders\" | Upgrade | 1.0.0 | DataMigration | CREATE INDEX CONCURRENTLY | the old column is dropped | orders;order_lines;",
            attributes["global::SplitOrders"]);
    }

    [Fact]
    public void AttributesLeftOut_AreRecordedAsAbsentOrDefault()
    {
        var (_, _, attributes, diagnostics, _) = Run("""
            [Migration("1.0.0", -0x2)]
            [Changes]
            public sealed class Seed : PostgresMigration
            {
                public override Task Up(PostgresContext db, CancellationToken ct) => Task.CompletedTask;
            }
            """);

        Assert.Empty(diagnostics);
        Assert.Equal("1.0.0 | -2 | (none) |  | (none) |  | (none) | (none) | ", attributes["global::Seed"]);
    }

    [Theory]
    [InlineData("[Migration(Versions.Current, 1)]")]
    [InlineData("[Migration(\"1.1.0\", order: 1)]")]
    [InlineData("[Migration(\"1.1.0\", 1, Path = (MigrationPath)1)]")]
    [InlineData("[Migration(\"1.1.0\", 1, Description = $\"orders {Versions.Current}\")]")]
    [InlineData("[Migration(\"1.1.0\", 1)] [Irreversible(Versions.Current)]")]
    [InlineData("[Migration(\"1.1.0\", 1)] [NonTransactional(null!)]")]
    [InlineData("[Migration(\"1.1.0\", 1)] [Changes(\"orders\", Versions.Current)]")]
    [InlineData("[Migration(\"1.1.0\", 1)] [Other.Migration(\"1.1.0\", 1)]")]
    [InlineData("[Migration(\"1.1.0\", 1, Description = \"orders\\u001fitems\")]")]
    [InlineData("[Migration(\"1.1.0\", 1)] [Changes(\"orders\\u001d\")]")]
    public void AttributesThatAreNotPlainLiterals_AreLeftToTheRunner(string attributes)
    {
        var (checksums, _, recorded, diagnostics, _) = Run($$"""
            public static class Versions
            {
                public const string Current = "1.1.0";
            }

            {{attributes}}
            public sealed class AddOrders : PostgresMigration
            {
                public override Task Up(PostgresContext db, CancellationToken ct) => Task.CompletedTask;
            }
            """,
            """
            namespace Other;

            [AttributeUsage(AttributeTargets.Class)]
            public sealed class MigrationAttribute(string version, int order) : Attribute
            {
                public string Version => version;

                public int Order => order;
            }
            """);

        Assert.Empty(diagnostics);
        Assert.Single(checksums);
        Assert.Equal(Unrecorded, recorded["global::AddOrders"]);
    }

    [Fact]
    public void PartialMigration_RecordsTheAttributesOfEveryPart()
    {
        var (_, _, attributes, diagnostics, _) = Run(
            """
            [Migration("1.1.0", 1)]
            public sealed partial class AddOrders : PostgresMigration
            {
                public override Task Up(PostgresContext db, CancellationToken ct) => Task.CompletedTask;
            }
            """,
            """
            [NonTransactional("CREATE INDEX CONCURRENTLY")]
            public sealed partial class AddOrders
            {
            }
            """);

        Assert.Empty(diagnostics);
        Assert.Equal("1.1.0 | 1 | (none) |  | (none) |  | CREATE INDEX CONCURRENTLY | (none) | (none)", attributes["global::AddOrders"]);
    }

    [Fact]
    public void ManifestClass_IsNamedAfterTheAssembly()
    {
        var source = Run(Migration).Source;

        Assert.Contains("[assembly: global::Stepwise.MigrationManifestAttribute(typeof(global::Stepwise.Generated.Manifest_Migrations))]", source, StringComparison.Ordinal);
        Assert.Contains("internal sealed class Manifest_Migrations : global::Stepwise.MigrationManifest", source, StringComparison.Ordinal);
    }

    [Fact]
    public void EnginesOfReferencedPackages_AreNamedOnTheAssembly()
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var cancellation = TestContext.Current.CancellationToken;
        var engine = CSharpCompilation.Create("Engine", [CSharpSyntaxTree.ParseText(
            """
            [assembly: Stepwise.StepwiseEngine(typeof(Engines.SomeEngine))]
            [assembly: Stepwise.StepwiseEngine(typeof(Engines.Hidden))]
            namespace Stepwise
            {
                [System.AttributeUsage(System.AttributeTargets.Assembly, AllowMultiple = true)]
                public sealed class StepwiseEngineAttribute(System.Type engine) : System.Attribute { public System.Type Engine => engine; }
            }
            namespace Engines
            {
                public sealed class SomeEngine;
                internal sealed class Hidden;
            }
            """, parse, cancellationToken: cancellation)], Net100.References.All, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var migrations = CSharpCompilation.Create("Migrations", [CSharpSyntaxTree.ParseText("public sealed class Nothing;", parse, cancellationToken: cancellation)],
            [.. Net100.References.All, engine.ToMetadataReference()], new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));

        GeneratorDriver driver = CSharpGeneratorDriver.Create([new MigrationManifestGenerator().AsSourceGenerator()], parseOptions: parse);
        driver = driver.RunGeneratorsAndUpdateCompilation(migrations, out var output, out _, cancellation);

        Assert.Empty(engine.GetDiagnostics(cancellation).Where(d => d.Severity == DiagnosticSeverity.Error));
        var generated = Assert.Single(driver.GetRunResult().GeneratedTrees).ToString();
        // The public engine is named, the one the runner could not create is not; the attribute binds to the package's.
        Assert.Contains("[assembly: global::Stepwise.StepwiseEngineAttribute(typeof(global::Engines.SomeEngine))]", generated, StringComparison.Ordinal);
        Assert.DoesNotContain("Hidden", generated, StringComparison.Ordinal);
        Assert.Empty(output.GetDiagnostics(cancellation).Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    [Fact]
    public void AuditSinksAndRunObserversOfTheAssembly_AreNamedOnIt()
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var cancellation = TestContext.Current.CancellationToken;
        var source = CSharpSyntaxTree.ParseText(
            """
            using Stepwise.Observing;
            namespace Stepwise
            {
                [System.AttributeUsage(System.AttributeTargets.Assembly, AllowMultiple = true)]
                public sealed class StepwiseObserverAttribute(System.Type observer) : System.Attribute { public System.Type Observer => observer; }
            }
            namespace Stepwise.Observing
            {
                public interface IAuditSink;
                public interface IRunObserver;
            }
            namespace Shop.Audit
            {
                public sealed class SlackSink : IAuditSink;
                internal sealed class Both : Stepwise.Observing.IRunObserver, global::Stepwise.Observing.IAuditSink;
                public sealed partial class Split : System.IDisposable { public void Dispose() { } }
                public sealed partial class Split : IRunObserver;
                public abstract class SinkBase : IAuditSink;
                public sealed class Outer { private sealed class Hidden : IAuditSink; }
                public sealed class Generic<T> : IRunObserver;
                public sealed class Unrelated : System.IDisposable { public void Dispose() { } }
            }
            """, parse, cancellationToken: cancellation);
        var compilation = CSharpCompilation.Create("Migrations", [source], Net100.References.All, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));

        GeneratorDriver driver = CSharpGeneratorDriver.Create([new MigrationManifestGenerator().AsSourceGenerator()], parseOptions: parse);
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out _, cancellation);

        var generated = Assert.Single(driver.GetRunResult().GeneratedTrees).ToString();
        var named = generated.Split('\n').Where(static l => l.StartsWith("[assembly:", StringComparison.Ordinal)).Select(static l => l.TrimEnd()).ToArray();
        Assert.Equal(
        [
            "[assembly: global::Stepwise.StepwiseObserverAttribute(typeof(global::Shop.Audit.Both))]",
            "[assembly: global::Stepwise.StepwiseObserverAttribute(typeof(global::Shop.Audit.SlackSink))]",
            "[assembly: global::Stepwise.StepwiseObserverAttribute(typeof(global::Shop.Audit.Split))]",
        ], named);
        Assert.Empty(output.GetDiagnostics(cancellation).Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    private static string Checksum(string source) => Assert.Single(Run(source).Checksums).Value;

    private static GeneratorOutput Run(params string[] sources)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = TestProject.Contract.Select(c => c.Source)
            .Append(TestProject.GlobalUsings)
            .Append(TestProject.ProjectAttribute)
            .Concat(sources)
            .Select((s, i) => CSharpSyntaxTree.ParseText(s, parse, path: $"File{i}.cs", cancellationToken: TestContext.Current.CancellationToken));
        var compilation = CSharpCompilation.Create(
            "Migrations", trees, [.. Net100.References.All, .. TestProject.MongoDriver],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable)
                // The driver targets an older runtime; the SDK suppresses these unification notes the same way.
                .WithSpecificDiagnosticOptions([new("CS1701", ReportDiagnostic.Suppress), new("CS1702", ReportDiagnostic.Suppress)]));

        GeneratorDriver driver = CSharpGeneratorDriver.Create([new MigrationManifestGenerator().AsSourceGenerator()], parseOptions: parse);
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out _, TestContext.Current.CancellationToken);

        var generated = driver.GetRunResult().GeneratedTrees.SingleOrDefault();
        var records = generated is null ? [] : Records(generated.GetRoot(TestContext.Current.CancellationToken));
        var errors = output.GetDiagnostics(TestContext.Current.CancellationToken)
            .Where(d => d.Severity == DiagnosticSeverity.Error || d.Severity == DiagnosticSeverity.Warning).ToList();
        return new GeneratorOutput(
            records.ToDictionary(r => r.TypeOf, r => r.Fields[1]),
            records.ToDictionary(r => r.TypeOf, r => r.Fields[2]),
            records.ToDictionary(r => r.TypeOf, r => r.Fields.Length == 3 ? Unrecorded : string.Join(" | ", r.Fields.Skip(3).Select(Readable))),
            errors,
            generated?.ToString() ?? string.Empty)
        {
            FullNames = records.ToDictionary(r => r.TypeOf, r => r.Fields[0]),
        };
    }

    // The manifest's records, as the runner reads them: the string handed to the base constructor, split, and paired
    // with the class its Resolve names for the record's index.
    private static List<(string TypeOf, string[] Fields)> Records(SyntaxNode generated)
    {
        var initializer = generated.DescendantNodes().OfType<ConstructorInitializerSyntax>().Single();
        var text = string.Concat(initializer.ArgumentList.Arguments.Single().DescendantTokens()
            .Where(t => t.IsKind(SyntaxKind.StringLiteralToken)).Select(t => t.ValueText));
        var classes = generated.DescendantNodes().OfType<SwitchSectionSyntax>()
            .Where(section => section.Labels.Single() is CaseSwitchLabelSyntax)
            .ToDictionary(section => int.Parse(((CaseSwitchLabelSyntax)section.Labels.Single()).Value.ToString(), CultureInfo.InvariantCulture),
                section => ((TypeOfExpressionSyntax)((ReturnStatementSyntax)section.Statements.Single()).Expression!).Type.ToString());
        var records = text.Split('\u001e');
        Assert.Equal(records.Length, classes.Count);
        return records.Select((record, index) => (classes[index], record.Split('\u001f'))).ToList();
    }

    private static string Readable(string field) => field == "\0" ? "(none)" : field.Replace("\u001d", ";", StringComparison.Ordinal);

    private sealed record GeneratorOutput(
        Dictionary<string, string> Checksums,
        Dictionary<string, string> Overrides,
        Dictionary<string, string> Attributes,
        IReadOnlyList<Diagnostic> Diagnostics,
        string Source)
    {
        public Dictionary<string, string> FullNames { get; init; } = [];
    }

    private const string Unrecorded = "(read by the runner)";
}
