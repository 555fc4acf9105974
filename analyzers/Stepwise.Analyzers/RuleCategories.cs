namespace Stepwise.Analyzers;

internal static class RuleCategories
{
    public const string Contract = "Stepwise.Contract";
    public const string PostgreSql = "Stepwise.PostgreSql";
    public const string MongoDb = "Stepwise.MongoDb";
}
