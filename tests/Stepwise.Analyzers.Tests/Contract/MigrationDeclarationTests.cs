using Verify = Stepwise.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Stepwise.Analyzers.Contract.MigrationDeclarationAnalyzer>;

namespace Stepwise.Analyzers.Tests.Contract;

/// <summary>SW1008 (version), SW1009 (order), SW1010 (From) and SW1011 (phase).</summary>
public sealed class MigrationDeclarationTests
{
    [Theory]
    [InlineData("1.1")]
    [InlineData("latest")]
    [InlineData("01.1.0")]
    [InlineData("1.1.0.4")]
    [InlineData("")]
    [InlineData("1.1.0-")]
    [InlineData("1.0.0-rc.1+build.5")] // build metadata: the runner refuses it in a project version
    public Task InvalidVersion_Triggers(string version) => Verify.VerifyAnalyzerAsync($$"""
        [Migration({|SW1008:"{{version}}"|}, 1)]
        public sealed class AddOrders : PostgresMigration
        {
        {{Members.UpOnly}}
        }
        """);

    [Theory]
    [InlineData("1.1.0")]
    [InlineData("v2.0.0")]
    [InlineData("1.0.0-rc.1")]
    public Task SemanticVersion_DoesNotTrigger(string version) => Verify.VerifyAnalyzerAsync($$"""
        [Migration("{{version}}", 1)]
        public sealed class AddOrders : PostgresMigration
        {
        {{Members.UpOnly}}
        }
        """);

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    public Task NonPositiveOrder_Triggers(string order) => Verify.VerifyAnalyzerAsync($$"""
        [Migration("1.1.0", {|SW1009:{{order}}|})]
        public sealed class AddOrders : PostgresMigration
        {
        {{Members.UpOnly}}
        }
        """);

    [Fact]
    public Task NamedArgumentsOutOfOrder_AreReadByName() => Verify.VerifyAnalyzerAsync($$"""
        [Migration(order: {|SW1009:0|}, version: {|SW1008:"one"|})]
        public sealed class AddOrders : PostgresMigration
        {
        {{Members.UpOnly}}
        }
        """);

    [Fact]
    public Task FromOnNewInstall_Triggers() => Verify.VerifyAnalyzerAsync($$"""
        [Migration("1.1.0", 1, Path = MigrationPath.NewInstall, From = {|SW1010:"1.0.0"|})]
        public sealed class CreateOrders : PostgresMigration
        {
        {{Members.UpOnly}}
        }
        """);

    [Fact]
    public Task FromThatIsNotAVersion_Triggers() => Verify.VerifyAnalyzerAsync($$"""
        [Migration("1.1.0", 1, From = {|SW1010:"1.0"|})]
        public sealed class AddOrders : PostgresMigration
        {
        {{Members.UpOnly}}
        }
        """);

    [Fact]
    public Task FromOnUpgrade_DoesNotTrigger() => Verify.VerifyAnalyzerAsync($$"""
        [Migration("1.1.0", 1, From = "v1.0.0", Path = MigrationPath.Upgrade)]
        public sealed class AddOrders : PostgresMigration
        {
        {{Members.UpOnly}}
        }
        """);

    [Theory]
    [InlineData("MigrationPath.Upgrade", "MigrationPhase.Schema")]
    [InlineData("MigrationPath.Upgrade", "MigrationPhase.Indexes")]
    [InlineData("MigrationPath.NewInstall", "MigrationPhase.PostUpgrade")]
    [InlineData("MigrationPath.NewInstall", "(MigrationPhase)42")]
    public Task PhaseOfTheOtherPath_Triggers(string path, string phase) => Verify.VerifyAnalyzerAsync($$"""
        [Migration("1.1.0", 1, Path = {{path}}, Phase = {|SW1011:{{phase}}|})]
        public sealed class AddOrders : PostgresMigration
        {
        {{Members.UpOnly}}
        }
        """);

    [Theory]
    [InlineData("MigrationPath.Upgrade", "MigrationPhase.DataMigration")]
    [InlineData("MigrationPath.NewInstall", "MigrationPhase.Indexes")]
    [InlineData("MigrationPath.NewInstall", "MigrationPhase.Default")]
    public Task PhaseOfItsPath_DoesNotTrigger(string path, string phase) => Verify.VerifyAnalyzerAsync($$"""
        [Migration("1.1.0", 1, Path = {{path}}, Phase = {{phase}})]
        public sealed class AddOrders : PostgresMigration
        {
        {{Members.UpOnly}}
        }
        """);
}
