using Verify = Stepwise.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Stepwise.Analyzers.Contract.MigrationDeclarationAnalyzer>;

namespace Stepwise.Analyzers.Tests.Contract;

public sealed class EscapeHatchReasonTests
{
    [Theory]
    [InlineData("Irreversible", "\"\"")]
    [InlineData("NonTransactional", "\"   \"")]
    [InlineData("Destructive", "null!")]
    [InlineData("Destructive", "reason: \"\"")]
    public Task EscapeHatchWithoutReason_Triggers(string attribute, string argument) => Verify.VerifyAnalyzerAsync($$"""
        [Migration("1.1.0", 1)]
        [{{attribute}}({|SW1005:{{argument.Replace("reason: ", "")}}|})]
        public sealed class AddOrders : PostgresMigration
        {
        {{Members.UpOnly}}
        }
        """);

    [Theory]
    [InlineData("Irreversible")]
    [InlineData("NonTransactional")]
    [InlineData("Destructive")]
    public Task EscapeHatchWithReason_DoesNotTrigger(string attribute) => Verify.VerifyAnalyzerAsync($$"""
        [Migration("1.1.0", 1)]
        [{{attribute}}("the reason a reviewer reads")]
        public sealed class AddOrders : PostgresMigration
        {
        {{Members.UpOnly}}
        }
        """);
}
