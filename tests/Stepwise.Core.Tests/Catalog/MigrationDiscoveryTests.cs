using Microsoft.Extensions.DependencyInjection;
using Stepwise.Catalog;
using Stepwise.Core.Tests.TestMigrations;
using Stepwise.Core.Tests.TestMigrations.Malformed;

namespace Stepwise.Core.Tests.Catalog;

public sealed class MigrationDiscoveryTests
{
    private static readonly Type[] WellFormed = [typeof(CreateThings), typeof(RewriteThings), typeof(IndexThings), typeof(InstallThingsIndexes)];

    [Fact]
    public void Build_ReadsEveryAttributeIntoTheDescriptor()
    {
        var project = MigrationDiscovery.Build(WellFormed).Resolve("core-tests");

        var rewrite = Assert.Single(project.Migrations, static m => m.Name == nameof(RewriteThings));
        Assert.Equal("1.1.0", rewrite.Version.ToString());
        Assert.Equal("1.0.0", rewrite.From?.ToString());
        Assert.Equal(MigrationPhase.DataMigration, rewrite.Phase);
        Assert.False(rewrite.Reversible);
        Assert.Equal("the old values are not kept", rewrite.IrreversibleReason);
        Assert.Equal(typeof(ThingsContext), rewrite.ContextType);

        var index = Assert.Single(project.Migrations, static m => m.Name == nameof(IndexThings));
        Assert.False(index.Transactional);
        Assert.Equal(MigrationPhase.SchemaChanges, index.Phase);
        Assert.True(index.Reversible);

        var create = Assert.Single(project.Migrations, static m => m.Name == nameof(CreateThings));
        Assert.Equal("1.0.0", create.Version.ToString());
        Assert.Equal("Create things", create.Description);
        Assert.True(create.Transactional);
    }

    [Fact]
    public void Build_FindsDownAndValidateInEveryPartAndInTheTeamsBaseClass()
    {
        var project = MigrationDiscovery.Build([typeof(CreateGadgets), typeof(CreateWidgets)]).Resolve("core-tests");

        // The build records what each class declares; a base class of the team's own is still looked at.
        var gadgets = Assert.Single(project.Migrations, static m => m.Name == nameof(CreateGadgets));
        Assert.True(gadgets.Reversible, gadgets.IrreversibleReason);
        Assert.True(gadgets.Validated);

        var widgets = Assert.Single(project.Migrations, static m => m.Name == nameof(CreateWidgets));
        Assert.True(widgets.Reversible, widgets.IrreversibleReason);
        Assert.True(widgets.Validated);

        Assert.Equal("Down PreCheck Validate OneStatementUp", ManifestEntry(typeof(CreateWidgets)).DeclaredOverrides);
        Assert.Equal("PreCheck OneStatementUp", ManifestEntry(typeof(CreateGadgets)).DeclaredOverrides);
    }

    [Fact]
    public void Build_MigrationWithoutDown_IsIrreversible()
    {
        var project = MigrationDiscovery.Build(WellFormed).Resolve("core-tests");

        var rewrite = Assert.Single(project.Migrations, static m => m.Name == nameof(RewriteThings));
        Assert.False(rewrite.Reversible);
        Assert.True(rewrite.Validated);
        Assert.Equal("PreCheck Validate OneStatementUp", ManifestEntry(typeof(RewriteThings)).DeclaredOverrides);
        Assert.True(rewrite.UpSendsOneStatement);
    }

    private static MigrationManifestEntry ManifestEntry(Type migration) => Assert.Single(Manifest(migration.Assembly), e => e.Migration == migration);

    private static IReadOnlyList<MigrationManifestEntry> Manifest(System.Reflection.Assembly assembly)
    {
        var attribute = Assert.Single(assembly.GetCustomAttributes(typeof(MigrationManifestAttribute), false).Cast<MigrationManifestAttribute>());
        return Assert.IsAssignableFrom<MigrationManifest>(Activator.CreateInstance(attribute.Manifest)).Migrations;
    }

    [Fact]
    public void Manifest_RecordsTheAttributesReflectionFinds()
    {
        var manifest = Manifest(typeof(CreateThings).Assembly);
        var recorded = manifest.Where(static e => e.Attributes is not null).ToArray();

        // Every well-formed and malformed migration here is written with literals, except ArchiveThings.
        Assert.Null(ManifestEntry(typeof(ArchiveThings)).Attributes);
        Assert.Equal(manifest.Count - 1, recorded.Length);
        Assert.All(manifest, static e => Assert.Equal(e.Migration.FullName, e.FullName));
        foreach (var entry in recorded)
        {
            var reflected = entry.Migration.GetCustomAttributes(inherit: false).OfType<Attribute>()
                .Where(static a => a is MigrationAttribute or NonTransactionalAttribute or IrreversibleAttribute or ChangesAttribute);
            Assert.Equal(Describe(reflected), Describe(entry.Attributes!));
        }
    }

    // Attribute.Equals compares the Changes attribute's array by reference; compare what each attribute says instead.
    private static string[] Describe(IEnumerable<Attribute> attributes) => attributes
        .Select(static a => a switch
        {
            MigrationAttribute m => $"Migration {m.Version} {m.Order} {m.Description} {m.Path} {m.From} {m.Phase}",
            NonTransactionalAttribute n => "NonTransactional " + n.Reason,
            IrreversibleAttribute i => "Irreversible " + i.Reason,
            ChangesAttribute c => "Changes " + string.Join(",", c.Objects),
            _ => a.GetType().Name,
        })
        .Order(StringComparer.Ordinal)
        .ToArray();

    [Fact]
    public void Build_ReadsAttributesTheBuildCouldNotRecordFromTheClass()
    {
        var project = MigrationDiscovery.Build([typeof(ArchiveThings), typeof(TrimThings)]).Resolve("core-tests");

        var archive = Assert.Single(project.Migrations, static m => m.Name == nameof(ArchiveThings));
        Assert.Equal("5.0.0", archive.Version.ToString());
        Assert.Equal("Archive things", archive.Description);
        Assert.Equal(["things"], archive.Changes);

        var trim = Assert.Single(project.Migrations, static m => m.Name == nameof(TrimThings));
        Assert.Equal(["things", "things_archive"], trim.Changes);
        Assert.Equal(2, trim.Order);
    }

    [Fact]
    public void Build_ReadsTheChecksumTheGeneratorEmitted()
    {
        var project = MigrationDiscovery.Build(WellFormed).Resolve("core-tests");

        Assert.All(project.Migrations, static m => Assert.Matches("^[0-9a-f]{64}$", m.Checksum));
        Assert.Equal(project.Migrations.Count, project.Migrations.Select(static m => m.Checksum).Distinct().Count());
    }

    [Fact]
    public void Build_SortsMigrationsInRunOrderAndListsVersions()
    {
        var project = MigrationDiscovery.Build(WellFormed).Resolve(null);

        Assert.Equal(["1.0.0", "1.1.0", "2.0.0"], project.Versions.Select(static v => v.ToString()));
        Assert.Equal(
            ["1.0.0/upgrade/schema-changes/1", "1.1.0/upgrade/schema-changes/2", "1.1.0/upgrade-from-1.0.0/data-migration/1", "2.0.0/new-install/indexes/1"],
            project.Migrations.Select(static m => m.Key));
    }

    [Fact]
    public void Build_ReportsEveryMalformedMigrationAtOnce()
    {
        Type[] malformed = [typeof(BadVersion), typeof(ZeroOrder), typeof(PhaseOfAnotherPath), typeof(FromAboveVersion), typeof(DuplicateA), typeof(DuplicateB), typeof(EmptyReason)];

        var error = Assert.Throws<StepwiseException>(() => MigrationDiscovery.Build(malformed));

        Assert.Equal(FailureKind.Catalog, error.Kind);
        Assert.Contains("BadVersion: [Migration] version '1.0' is not a semantic version", error.Message, StringComparison.Ordinal);
        Assert.Contains("ZeroOrder: [Migration] order must be 1 or more (got 0)", error.Message, StringComparison.Ordinal);
        Assert.Contains("PhaseOfAnotherPath: phase SchemaChanges does not belong to the new-install path", error.Message, StringComparison.Ordinal);
        Assert.Contains("FromAboveVersion: From (2.0.0) must be below the migration's version (1.0.0)", error.Message, StringComparison.Ordinal);
        Assert.Contains("DuplicateA and DuplicateB", error.Message, StringComparison.Ordinal);
        Assert.Contains("EmptyReason: [NonTransactional] needs a reason", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Discover_IgnoresAssembliesWithoutMigrationProject()
    {
        var catalog = MigrationDiscovery.Discover([typeof(FactAttribute).Assembly, typeof(Migration<>).Assembly], new ServiceCollection());

        Assert.Empty(catalog.Projects);
    }

    [Fact]
    public void Discover_TakesTheGeneratedManifestAndRefusesItsMalformedMigrations()
    {
        var services = new ServiceCollection();

        var error = Assert.Throws<StepwiseException>(() => MigrationDiscovery.Discover([typeof(CreateThings).Assembly], services));

        Assert.Contains("BadVersion", error.Message, StringComparison.Ordinal);
        // The manifest lists the classes with [Migration]; the build-time rule SW1006 refuses a class without it.
        Assert.DoesNotContain("WithoutMigrationAttribute", error.Message, StringComparison.Ordinal);
        // A manifest's classes are not registered: the runner creates each when it runs it.
        Assert.Empty(services);
    }

    [Fact]
    public void Discover_PlansFromTheManifestAndLoadsAClassOnlyWhenAskedForIt()
    {
        // A record with every check declared and its attributes recorded, whose Resolve names a class that is no migration.
        var record = string.Join('\u001f', "HandWritten.Orders+AddOrders", new string('a', 64), "Down PreCheck Validate",
            "2.1.0", "3", "Create orders", "Upgrade", "2.0.0", "", "\0", "\0", "orders\u001d");
        var assembly = AssemblyWithHandWrittenManifest.Create(record, typeof(string));

        var migration = Assert.Single(MigrationDiscovery.Discover([assembly], new ServiceCollection()).Resolve("hand-written").Migrations);

        Assert.Equal(("AddOrders", "2.1.0", MigrationPath.Upgrade, "2.0.0", MigrationPhase.SchemaChanges, 3, "Create orders"),
            (migration.Name, migration.Version.ToString(), migration.Path, migration.From?.ToString(), migration.Phase, migration.Order, migration.Description));
        Assert.Equal(["orders"], migration.Changes);
        Assert.True(migration.Reversible && migration.Validated && migration.Transactional);
        Assert.False(migration.UpSendsOneStatement);
        var error = Assert.Throws<StepwiseException>(() => migration.Type);
        Assert.Equal(FailureKind.Catalog, error.Kind);
        Assert.Contains("HandWritten.Orders+AddOrders is not a concrete migration class with [Migration]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Discover_AssemblyBuiltWithAnotherVersionOfTheGenerator_IsRefusedWithWhatToDo()
    {
        var error = Assert.Throws<StepwiseException>(() => MigrationDiscovery.Discover([AssemblyOfAnOlderGenerator.Create()], new ServiceCollection()));

        Assert.Equal(FailureKind.Catalog, error.Kind);
        Assert.StartsWith("OlderMigrations: its migration manifest cannot be read (", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("build it with the same Stepwise version as the runner.", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("HandWritten.AddOrders\u001fsum")]
    [InlineData("HandWritten.AddOrders\u001fsum\u001fDown\u001f1.0.0")]
    public void Discover_ManifestRecordWithTheWrongNumberOfFields_IsRefused(string record)
    {
        var assembly = AssemblyWithHandWrittenManifest.Create(record, typeof(string));

        var error = Assert.Throws<StepwiseException>(() => MigrationDiscovery.Discover([assembly], new ServiceCollection()));

        Assert.Equal(FailureKind.Catalog, error.Kind);
        Assert.Contains($"{assembly.GetName().Name}: its migration manifest cannot be read (Migration manifest record 0 has", error.Message, StringComparison.Ordinal);
        Assert.Contains("build it with the same Stepwise version as the runner", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Discover_AssemblyBuiltWithoutTheGenerator_IsScannedAndEveryMigrationReported()
    {
        var assembly = AssemblyWithoutManifest.Create();
        var services = new ServiceCollection();

        var error = Assert.Throws<StepwiseException>(() => MigrationDiscovery.Discover([assembly], services));

        Assert.Equal(FailureKind.Catalog, error.Kind);
        Assert.Contains("Unchecked.AddOrders has no build-time checksum: the Stepwise generator did not run on Unchecked", error.Message, StringComparison.Ordinal);
        Assert.Contains("Unchecked.Forgotten is not a concrete migration class with [Migration]", error.Message, StringComparison.Ordinal);
        Assert.Contains(services, static d => d.ServiceType.FullName == "Unchecked.AddOrders");
    }

    [Theory]
    [InlineData(typeof(object))]
    [InlineData(typeof(string))]
    public void Discover_ManifestAttributeWrittenByHand_IsRefusedWithWhatToDo(Type named)
    {
        var error = Assert.Throws<StepwiseException>(() => MigrationDiscovery.Discover([AssemblyWithoutManifest.Create(named)], new ServiceCollection()));

        Assert.Equal(FailureKind.Catalog, error.Kind);
        Assert.Contains($"Unchecked: [assembly: MigrationManifest] names {named.FullName}, which is not a manifest the Stepwise generator wrote", error.Message,
            StringComparison.Ordinal);
        Assert.Contains("remove the one written by hand", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Discover_ForOneProject_ScansOnlyItsAssembliesAndKnowsTheOthersByName()
    {
        var services = new ServiceCollection();

        var catalog = MigrationDiscovery.Discover([typeof(CreateThings).Assembly], services, project: "billing");

        Assert.Empty(catalog.Projects);
        Assert.Empty(services);
        Assert.Equal(["core-tests"], catalog.KnownProjects);
        var error = Assert.Throws<StepwiseException>(() => catalog.Resolve("billing"));
        Assert.Contains("This runner knows: core-tests.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_UnknownProject_NamesTheKnownOnes()
    {
        var catalog = MigrationDiscovery.Build(WellFormed);

        var error = Assert.Throws<StepwiseException>(() => catalog.Resolve("billing"));

        Assert.Equal(FailureKind.Usage, error.Kind);
        Assert.Contains("Unknown project 'billing'. This runner knows: core-tests.", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("e-commerce-api", true)]
    [InlineData("billing_v2.eu", true)]
    [InlineData("ECommerce", false)]
    [InlineData("-leading-dash", false)]
    [InlineData("", false)]
    [InlineData("has space", false)]
    public void ProjectNames_AreLowerCaseWords(string name, bool valid)
    {
        Assert.Equal(valid, MigrationDiscovery.IsValidProjectName(name));
    }
}
