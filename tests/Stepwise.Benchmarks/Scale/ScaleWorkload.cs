using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Stepwise.Analyzers;
using Stepwise.PostgreSql;

namespace Stepwise.Benchmarks.Scale;

/// <summary>
/// Real migrations assemblies for the scale benchmarks: one assembly per project, each with its
/// <c>[assembly: MigrationProject]</c> and migration classes shaped like compare.sh's workload, compiled with Roslyn
/// and checksummed by the real generator. Cached under the temp folder, keyed by the shape and by the identity of the
/// Stepwise assemblies and of the generator, so only the first run of a build pays for compiling them.
/// </summary>
internal static class ScaleWorkload
{
    /// <summary>Migrations per version: ten, as in compare.sh's workload.</summary>
    public const int PerVersion = 10;

    /// <summary>The project name of project number <paramref name="project"/> (1-based).</summary>
    public static string ProjectName(int project) => "scale-p" + project.ToString("D3", CultureInfo.InvariantCulture);

    /// <summary>Compiles (or finds in the cache) the assemblies and returns their paths, in project order.</summary>
    public static IReadOnlyList<string> Build(int projects, int migrationsPerProject, TextWriter? progress = null)
    {
        var folder = CacheFolder(projects, migrationsPerProject);
        var paths = Enumerable.Range(1, projects).Select(p => Path.Combine(folder, $"Scale.P{p:D3}.dll")).ToArray();
        var complete = Path.Combine(folder, "complete");
        if (File.Exists(complete))
        {
            return paths;
        }

        Directory.CreateDirectory(folder);
        progress?.WriteLine($"Compiling {projects} migrations assemblies of {migrationsPerProject} migrations into {folder} (once per build)...");
        var references = References();
        var generator = new MigrationManifestGenerator().AsSourceGenerator();
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable,
            optimizationLevel: OptimizationLevel.Release);

        Parallel.For(1, projects + 1, p =>
        {
            var tree = CSharpSyntaxTree.ParseText(Source(p, migrationsPerProject), parse);
            var compilation = CSharpCompilation.Create($"Scale.P{p:D3}", [tree], references, options);
            CSharpGeneratorDriver.Create(generator).WithUpdatedParseOptions(parse)
                .RunGeneratorsAndUpdateCompilation(compilation, out var generated, out _);
            var result = generated.Emit(paths[p - 1]);
            var errors = result.Diagnostics.Where(static d => d.Severity == DiagnosticSeverity.Error).ToArray();
            if (!result.Success || errors.Length > 0)
            {
                throw new InvalidOperationException($"Compiling project {p} failed:{Environment.NewLine}{string.Join(Environment.NewLine, errors.Take(10))}");
            }
        });

        File.WriteAllText(complete, DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture));
        return paths;
    }

    /// <summary>Loads the assemblies into the default load context (they share this process's Stepwise assemblies).</summary>
    public static IReadOnlyList<Assembly> Load(IReadOnlyList<string> paths) => paths.Select(Assembly.LoadFrom).ToArray();

    /// <summary>The C# source of one project: <c>[assembly: MigrationProject]</c> and its migration classes.</summary>
    public static string Source(int project, int migrations)
    {
        var name = ProjectName(project);
        var source = new StringBuilder()
            .AppendLine("using System.Threading;")
            .AppendLine("using System.Threading.Tasks;")
            .AppendLine("using Stepwise;")
            .AppendLine("using Stepwise.PostgreSql;")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"[assembly: MigrationProject(\"{name}\")]")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"namespace Scale.P{project:D3};");
        for (var i = 1; i <= migrations; i++)
        {
            var table = $"p{project:D3}_t_{i}";
            source.Append(CultureInfo.InvariantCulture, $$"""

                [Migration("1.{{(i - 1) / PerVersion}}.0", {{((i - 1) % PerVersion) + 1}}, Description = "Create {{table}}")]
                public sealed class CreateT{{i:D5}} : PostgresMigration
                {
                    public override async Task PreCheck(PostgresContext db, CancellationToken ct) =>
                        Require(!await db.TableExistsAsync("{{table}}", ct), "table {{table}} does not exist yet");

                    public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync(
                        "CREATE TABLE {{table}} (id bigserial primary key, name text not null, qty int not null default 0, created_at timestamptz not null default now());" +
                        "INSERT INTO {{table}} (name, qty) SELECT 'item ' || g, g FROM generate_series(1, 20) AS g;" +
                        "CREATE INDEX ix_{{table}}_name ON {{table}} (name);", ct);

                    public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("DROP TABLE IF EXISTS {{table}}", ct);

                    public override async Task Validate(PostgresContext db, CancellationToken ct) =>
                        Require(await db.TableExistsAsync("{{table}}", ct), "table {{table}} exists");
                }

                """);
        }

        return source.ToString();
    }

    private static MetadataReference[] References()
    {
        // Everything this process can load: the framework, Stepwise and its dependencies (Npgsql, Dapper, ...).
        var trusted = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return trusted.Concat(Directory.EnumerateFiles(AppContext.BaseDirectory, "*.dll"))
            .DistinctBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase)
            .Where(static path => !Path.GetFileName(path).StartsWith("Scale.P", StringComparison.Ordinal))
            .Select(static path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToArray();
    }

    private static string CacheFolder(int projects, int migrationsPerProject)
    {
        // A new build of Stepwise or of the generator (or a change to this file's template) gets a new folder.
        var identity = string.Join("|", projects, migrationsPerProject, PerVersion, Source(1, 1).Length,
            typeof(Migration<>).Assembly.ManifestModule.ModuleVersionId,
            typeof(PostgresMigration).Assembly.ManifestModule.ModuleVersionId,
            typeof(MigrationManifestGenerator).Assembly.ManifestModule.ModuleVersionId);
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..16];
        return Path.Combine(Path.GetTempPath(), "stepwise-scale", key);
    }
}
