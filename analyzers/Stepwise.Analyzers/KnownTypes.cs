namespace Stepwise.Analyzers;

/// <summary>Stepwise types, recognised by metadata name: the analyzers reference nothing in src/.</summary>
internal static class KnownTypes
{
    public const string MigrationAttribute = "Stepwise.MigrationAttribute";
    public const string MigrationProjectAttribute = "Stepwise.MigrationProjectAttribute";
    public const string IrreversibleAttribute = "Stepwise.IrreversibleAttribute";
    public const string NonTransactionalAttribute = "Stepwise.NonTransactionalAttribute";
    public const string DestructiveAttribute = "Stepwise.DestructiveAttribute";
    public const string MigrationBase = "Stepwise.Migration`1";
    public const string PostgresContext = "Stepwise.PostgreSql.PostgresContext";
    public const string SqlIdentifier = "Stepwise.PostgreSql.SqlIdentifier";
    public const string MongoContext = "Stepwise.MongoDb.MongoContext";
    public const string MongoSession = "MongoDB.Driver.IClientSessionHandle";
    public const string BsonDocument = "MongoDB.Bson.BsonDocument";
    public const string CreateIndexModel = "MongoDB.Driver.CreateIndexModel`1";
    public const string CreateIndexOptions = "MongoDB.Driver.CreateIndexOptions";
    public const string JsonCommand = "MongoDB.Driver.JsonCommand`1";
    public const string UpdateDefinitionBuilder = "MongoDB.Driver.UpdateDefinitionBuilder`1";
}
