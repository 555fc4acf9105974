using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Stepwise.Versioning;

namespace Stepwise.Catalog;

/// <summary>
/// Finds migrations in assemblies that carry <see cref="MigrationProjectAttribute"/>, registers them in DI (so they
/// may take constructor dependencies) and checks them: every problem is reported at once, before any database work.
/// </summary>
public static partial class MigrationDiscovery
{
    /// <summary>
    /// Finds the migrations of the assemblies marked with <see cref="MigrationProjectAttribute"/> (from the manifest the
    /// Stepwise generator builds into each assembly, or by scanning an assembly built without it) and returns the
    /// catalog. A manifest's migration classes are loaded when first run; the runner creates them through the container,
    /// so they may take constructor dependencies (see <see cref="MigrationActivator"/>).
    /// </summary>
    /// <param name="assemblies">Candidate assemblies; those without the project attribute are ignored.</param>
    /// <param name="services">Where the classes found by scanning an assembly without a manifest are registered.</param>
    /// <param name="project">
    /// When given, only that project's assemblies are read: a runner given many projects' assemblies pays for the one
    /// it runs. The other projects stay known by name.
    /// </param>
    /// <exception cref="StepwiseException">A migration is malformed (kind <see cref="FailureKind.Catalog"/>).</exception>
    public static MigrationCatalog Discover(IEnumerable<Assembly> assemblies, IServiceCollection services, string? project = null)
    {
        ArgumentNullException.ThrowIfNull(assemblies);
        ArgumentNullException.ThrowIfNull(services);

        var projectAssemblies = assemblies.Distinct()
            .Select(static a => (Assembly: a, Project: a.GetCustomAttribute<MigrationProjectAttribute>()?.Name))
            .Where(static p => p.Project is not null)
            .ToArray();
        var facts = projectAssemblies
            .Where(p => project is null || string.Equals(p.Project, project, StringComparison.Ordinal))
            .ToDictionary(static p => p.Assembly, static p => AssemblyFacts.Read(p.Assembly, p.Project));
        var candidates = new List<Candidate>();
        foreach (var assembly in facts.Values)
        {
            candidates.AddRange(CandidatesOf(assembly, services));
        }

        return Build(candidates, projectAssemblies.Select(static p => p.Project!), facts);
    }

    // The generator lists every migration of the assembly in its manifest, so the runner reads that list and loads no
    // class until it runs it (scanning touched every type, async state machines included, and cost most of discovery at
    // 10,000 migrations). An assembly built without the generator has no manifest and is scanned instead, so that each
    // of its migrations is reported for its missing checksum, and a class without [Migration] is reported too (in a
    // generated manifest the build-time rule SW1006 has already refused it).
    private static IEnumerable<Candidate> CandidatesOf(AssemblyFacts facts, IServiceCollection services)
    {
        if (facts.Manifest.Count > 0)
        {
            return facts.Manifest.Select(entry => new Candidate(entry.FullName, facts, entry, Type: null));
        }

        if (!RuntimeFeature.IsDynamicCodeSupported)
        {
            // A Native AOT runner keeps only what the manifest names: a scan would find classes without constructors.
            throw new StepwiseException(FailureKind.Catalog,
                $"{facts.Name} has no migration manifest: it was built without the Stepwise generator, which a Native AOT " +
                "runner needs. Reference the Stepwise package (not just its DLL) in the project that holds the migrations.");
        }

        var before = services.Count;
        services.Scan(scan => scan
            .FromAssemblies(facts.Assembly)
            .AddClasses(static c => c.AssignableTo<IMigration>(), publicOnly: false)
            .AsSelf()
            .WithTransientLifetime());
        return services.Skip(before).Select(static d => d.ImplementationType).OfType<Type>()
            .Select(type => new Candidate(type.FullName ?? type.Name, facts, facts.Entry(type), type))
            .ToList();
    }

    /// <summary>Builds a catalog from the given migration classes (used by tests and by hosts that pick their own set).</summary>
    /// <exception cref="StepwiseException">A migration is malformed (kind <see cref="FailureKind.Catalog"/>).</exception>
    public static MigrationCatalog Build(IEnumerable<Type> migrationTypes)
    {
        ArgumentNullException.ThrowIfNull(migrationTypes);
        var assemblies = new Dictionary<Assembly, AssemblyFacts>();
        var candidates = new List<Candidate>();
        foreach (var type in migrationTypes.Distinct())
        {
            if (!assemblies.TryGetValue(type.Assembly, out var facts))
            {
                facts = AssemblyFacts.Read(type.Assembly, type.Assembly.GetCustomAttribute<MigrationProjectAttribute>()?.Name);
                assemblies[type.Assembly] = facts;
            }

            candidates.Add(new Candidate(type.FullName ?? type.Name, facts, facts.Entry(type), type));
        }

        return Build(candidates, [], assemblies);
    }

    private static MigrationCatalog Build(List<Candidate> candidates, IEnumerable<string> otherProjects, Dictionary<Assembly, AssemblyFacts> assemblies)
    {
        var errors = new List<string>();
        var descriptors = new List<MigrationDescriptor>(candidates.Count);
        var versions = new Dictionary<string, ProjectVersion>(StringComparer.Ordinal);

        foreach (var candidate in candidates)
        {
            var descriptor = Describe(candidate, versions, errors);
            if (descriptor is not null)
            {
                descriptors.Add(descriptor);
            }
        }

        foreach (var duplicate in descriptors.GroupBy(static d => (d.Project, d.Key)).Where(static g => g.Count() > 1))
        {
            errors.Add($"Migrations {string.Join(" and ", duplicate.Select(static d => d.Name).Order(StringComparer.Ordinal))} of project '{duplicate.Key.Project}' share " +
                $"version, path, from-version, phase and order ({duplicate.Key.Key}); give each its own order.");
        }

        if (errors.Count > 0)
        {
            throw MigrationClassRules.Malformed(errors);
        }

        return new MigrationCatalog(
            descriptors.GroupBy(static d => d.Project, StringComparer.Ordinal)
                .Select(g => WithEmbeddedConfig(new ProjectCatalog(g.Key, g),
                    assemblies.Values.Where(f => string.Equals(f.Project, g.Key, StringComparison.Ordinal)).Select(static f => f.Assembly))),
            otherProjects);
    }

    /// <summary>The name a project's configuration is embedded under (any resource whose name ends with it).</summary>
    public const string ConfigResourceName = Rules.SharedRules.ConfigFileName;

    // project-config.yaml ships inside the migrations assembly as an embedded resource, so the runner image carries it.
    // An assembly built in memory has no resources to carry.
    private static ProjectCatalog WithEmbeddedConfig(ProjectCatalog catalog, IEnumerable<Assembly> assemblies)
    {
        foreach (var assembly in assemblies.Where(static a => !a.IsDynamic))
        {
            var resource = assembly.GetManifestResourceNames()
                .FirstOrDefault(static n => n.EndsWith(ConfigResourceName, StringComparison.OrdinalIgnoreCase));
            if (resource is null)
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            var source = $"{assembly.GetName().Name}:{resource} (embedded)";
            return catalog.WithConfig(Configuration.ProjectConfigReader.Read(reader.ReadToEnd(), source, catalog));
        }

        return catalog;
    }

    /// <summary>Whether a project name is well formed: lower-case letters, digits, '-', '_' or '.', at most 63 characters.</summary>
    public static bool IsValidProjectName(string? name) => Rules.SharedRules.IsValidProjectName(name);

    private static MigrationDescriptor? Describe(Candidate candidate, Dictionary<string, ProjectVersion> versions, List<string> errors)
    {
        var (name, facts, manifestEntry, type) = candidate;
        var declaredAttributes = AttributesOf(manifestEntry, ref type);
        if (declaredAttributes.Migration is not { } attribute || (type is not null && !MigrationClassRules.IsConcreteMigration(type)))
        {
            errors.Add(MigrationClassRules.NotAMigration(name));
            return null;
        }

        var project = facts.Project;
        if (!IsValidProjectName(project))
        {
            errors.Add($"{name}: assembly {facts.Name} needs [assembly: MigrationProject(\"name\")] with a name of lower-case letters, digits, '-', '_' or '.' (got '{project}').");
            return null;
        }

        var errorCount = errors.Count;
        var (version, from, phase) = Placement(name, attribute, versions, errors);
        var checksum = manifestEntry?.Checksum;
        if (checksum is null)
        {
            errors.Add($"{name} has no build-time checksum: the Stepwise generator did not run on {facts.Name}. " +
                "Reference the Stepwise package (its generator ships in it) and make the class public or internal.");
        }

        CheckReasons(name, declaredAttributes, errors);
        if (errors.Count > errorCount)
        {
            return null;
        }

        var (nonTransactional, irreversible, changes) = (declaredAttributes.NonTransactional, declaredAttributes.Irreversible, declaredAttributes.Changes);
        var declared = manifestEntry?.DeclaredOverrides;
        var hasDown = Overrides(ref type, manifestEntry, "Down", declared);
        var validated = Overrides(ref type, manifestEntry, "Validate", declared);
        if (type is not null && !MigrationClassRules.IsConcreteMigration(type))
        {
            errors.Add(MigrationClassRules.NotAMigration(name));
            return null;
        }

        return new MigrationDescriptor
        {
            Project = project!,
            Version = version!,
            Path = attribute.Path,
            From = from,
            Phase = phase!.Value,
            Order = attribute.Order,
            Name = ShortName(name),
            Description = attribute.Description,
            Type = type,
            LoadType = type is null ? () => manifestEntry!.Migration : null,
            ClassName = name,
            Checksum = checksum!,
            Transactional = nonTransactional is null,
            NonTransactionalReason = nonTransactional?.Reason,
            Reversible = hasDown && irreversible is null,
            IrreversibleReason = irreversible?.Reason ?? (hasDown ? null : "Down is not implemented"),
            Validated = validated,
            UpSendsOneStatement = Declares(declared, "OneStatementUp"),
            Changes = changes?.Objects ?? [],
        };
    }

    // The generator lists only concrete classes with [Migration], and the build-time rule SW1007 refuses one that is no
    // migration; this check is for an assembly that was built with that rule switched off.
    // Namespace.Outer+Inner: Inner, as Type.Name gives it.
    private static string ShortName(string fullName) => fullName[(fullName.AsSpan().LastIndexOfAny('.', '+') + 1)..];

    // A migration as discovery first sees it: from a manifest (its class not loaded yet), or a class given or found.
    private readonly record struct Candidate(string FullName, AssemblyFacts Facts, MigrationManifestEntry? Entry, Type? Type);

    // What discovery needs from an assembly, read once however many migrations it holds.
    private sealed class AssemblyFacts(Assembly assembly, string? project, IReadOnlyList<MigrationManifestEntry> manifest)
    {
        private Dictionary<string, MigrationManifestEntry>? _byName;

        public Assembly Assembly => assembly;

        public string? Name => assembly.GetName().Name;

        public string? Project => project;

        public IReadOnlyList<MigrationManifestEntry> Manifest => manifest;

        /// <summary>The manifest's entry for a class given by its type (by name, which loads no other class).</summary>
        public MigrationManifestEntry? Entry(Type type)
        {
            _byName ??= manifest.DistinctBy(static e => e.FullName, StringComparer.Ordinal).ToDictionary(static e => e.FullName, StringComparer.Ordinal);
            return type.FullName is { } name && _byName.TryGetValue(name, out var entry) && entry.Migration == type ? entry : null;
        }

        public static AssemblyFacts Read(Assembly assembly, string? project)
        {
            try
            {
                if (assembly.GetCustomAttribute<MigrationManifestAttribute>()?.Manifest is not { } type)
                {
                    return new AssemblyFacts(assembly, project, []);
                }

                if (Create(type) is not { } manifest)
                {
                    throw new StepwiseException(FailureKind.Catalog,
                        $"{assembly.GetName().Name}: [assembly: MigrationManifest] names {type.FullName}, which is not a manifest the Stepwise generator wrote. " +
                        "The generator writes that attribute; remove the one written by hand.");
                }

                return new AssemblyFacts(assembly, project, manifest.Migrations);
            }
            catch (Exception ex) when (ex is TypeLoadException or MissingMemberException or TypeInitializationException or FormatException or ArgumentException
                or OverflowException)
            {
                // A manifest of another version of the generator: its class lacks an override this contract asks for, calls a
                // constructor it lacks, or holds records in another format.
                throw Unreadable(assembly, (ex as TypeInitializationException)?.InnerException?.Message ?? ex.Message, ex);
            }
        }

        private static MigrationManifest? Create([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] Type type)
        {
            try
            {
                return Activator.CreateInstance(type) as MigrationManifest;
            }
            catch (MissingMethodException) when (!typeof(MigrationManifest).IsAssignableFrom(type))
            {
                return null;
            }
        }

        private static StepwiseException Unreadable(Assembly assembly, string reason, Exception inner) =>
            new(FailureKind.Catalog,
                $"{assembly.GetName().Name}: its migration manifest cannot be read ({reason.TrimEnd('.')}). The manifest is written by the Stepwise " +
                "generator of the package the assembly was built with; build it with the same Stepwise version as the runner.", inner);
    }


    internal const string ManifestKeepsMembers =
        "Migration types come from the generated manifest, whose entries keep the constructors and public methods (DynamicallyAccessedMembers); the scan fallback is refused where code cannot be generated.";
}
