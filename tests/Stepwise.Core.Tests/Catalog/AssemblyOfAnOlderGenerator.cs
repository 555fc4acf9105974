using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Stepwise.Core.Tests.Catalog;

/// <summary>
/// A migrations assembly built against the contract of an earlier Stepwise package, whose manifest was a class that
/// overrode a <c>Migrations</c> property and listed constructor calls: what a runner meets when the assembly handed to
/// it was built with another version of the package. Compiled in memory against a stand-in of that contract, then
/// loaded beside this process's real one.
/// </summary>
internal static class AssemblyOfAnOlderGenerator
{
    private const string EarlierContract = """
        namespace Stepwise
        {
            [System.AttributeUsage(System.AttributeTargets.Assembly)]
            public sealed class MigrationProjectAttribute(string name) : System.Attribute { public string Name => name; }

            [System.AttributeUsage(System.AttributeTargets.Assembly)]
            public sealed class MigrationManifestAttribute(System.Type manifest) : System.Attribute { public System.Type Manifest => manifest; }

            public sealed class MigrationManifestEntry(System.Type migration, string checksum, string declaredOverrides);

            public abstract class MigrationManifest
            {
                public abstract System.Collections.Generic.IReadOnlyList<MigrationManifestEntry> Migrations { get; }
            }
        }
        """;

    private const string Migrations = """
        [assembly: Stepwise.MigrationProject("older-generator")]
        [assembly: Stepwise.MigrationManifest(typeof(Older.Manifest))]

        namespace Older
        {
            public sealed class Manifest : Stepwise.MigrationManifest
            {
                private static readonly Stepwise.MigrationManifestEntry[] Entries = { new(typeof(Manifest), "0123", "Down") };

                public override System.Collections.Generic.IReadOnlyList<Stepwise.MigrationManifestEntry> Migrations => Entries;
            }
        }
        """;

    public static Assembly Create()
    {
        // The framework this process runs on; not Stepwise, which the stand-in replaces at build time.
        var framework = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(static path => Path.GetFileName(path).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(path) is "netstandard.dll" or "mscorlib.dll")
            .Select(static path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToArray();
        var contract = Compile("Stepwise", EarlierContract, framework);
        return Assembly.Load(Compile("OlderMigrations", Migrations, [.. framework, MetadataReference.CreateFromImage(contract)]));
    }

    private static byte[] Compile(string name, string source, IEnumerable<MetadataReference> references)
    {
        var compilation = CSharpCompilation.Create(name, [CSharpSyntaxTree.ParseText(source)], references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        return result.Success
            ? image.ToArray()
            : throw new InvalidOperationException(string.Join(Environment.NewLine, result.Diagnostics.Where(static d => d.Severity == DiagnosticSeverity.Error)));
    }
}
