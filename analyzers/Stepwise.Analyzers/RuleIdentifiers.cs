namespace Stepwise.Analyzers;

/// <summary>
/// Every Stepwise diagnostic ID, in one place. SW1xxx: the migration contract; SW2xxx: PostgreSQL SQL safety;
/// SW3xxx: MongoDB. An ID is never reused for another meaning once released.
/// </summary>
public static class RuleIdentifiers
{
    // SW1xxx: the migration contract.
    public const string MissingDown = "SW1001";
    public const string MissingValidate = "SW1002";
    public const string MissingPreCheck = "SW1003";
    public const string IrreversibleNotAllowed = "SW1004";
    public const string EscapeHatchWithoutReason = "SW1005";
    public const string MissingMigrationAttribute = "SW1006";
    public const string MigrationAttributeOnUnusableType = "SW1007";
    public const string InvalidMigrationVersion = "SW1008";
    public const string InvalidMigrationOrder = "SW1009";
    public const string InvalidFromVersion = "SW1010";
    public const string PhaseNotInPath = "SW1011";
    public const string DuplicateMigrationIdentity = "SW1012";
    public const string MissingMigrationProject = "SW1013";
    public const string InvalidProjectName = "SW1014";
    public const string VersionNotInCompatibilityMatrix = "SW1015";

    // SW2xxx: PostgreSQL SQL safety, on constant SQL given to PostgresContext.
    public const string CannotRunInTransaction = "SW2001";
    public const string ExplicitTransactionControl = "SW2002";
    public const string CreateIndexWithoutConcurrently = "SW2003";
    public const string DropIndexWithoutConcurrently = "SW2004";
    public const string AddNotNullColumnWithoutDefault = "SW2005";
    public const string SetNotNull = "SW2006";
    public const string AlterColumnType = "SW2007";
    public const string ConstraintWithoutNotValid = "SW2008";
    public const string UniqueConstraintWithoutIndex = "SW2009";
    public const string VolatileDefault = "SW2010";
    public const string RenameTableOrColumn = "SW2011";
    public const string DestructiveWithoutJustification = "SW2012";
    public const string NotIdempotent = "SW2013";
    public const string NonConstantSql = "SW2014";
    public const string NonTransactionalStatementNotAlone = "SW2015";
    public const string EveryRowWithoutWhere = "SW2016";
    public const string ExclusionConstraintOnExistingTable = "SW2017";
    public const string ColumnComputedForEveryRow = "SW2018";
    public const string ValidatedInSameTransaction = "SW2019";
    public const string DropNotNull = "SW2020";
    public const string DropDefault = "SW2021";
    public const string MissingLockTimeout = "SW2022";
    public const string TriggersLeftDisabled = "SW2023";
    public const string ReplicaIdentityChanged = "SW2024";
    public const string RowSecurityTurnedOff = "SW2025";
    public const string DomainConstraintChecksEveryColumn = "SW2026";
    public const string NewEnumValueUsedInSameTransaction = "SW2027";
    public const string BackfillInAlteringTransaction = "SW2028";
    public const string TableRewrite = "SW2029";
    public const string ExplicitTableLock = "SW2030";
    public const string RefreshWithoutConcurrently = "SW2031";
    public const string ReindexWithoutConcurrently = "SW2032";
    public const string DetachPartitionWithoutConcurrently = "SW2033";
    public const string SessionSettingOutlivesStep = "SW2034";
    public const string SecurityDefinerWithoutSearchPath = "SW2035";
    public const string UnnamedIndexOrConstraint = "SW2036";
    public const string InvalidIndexKeptByIfNotExists = "SW2037";

    // SW2038-SW2045: schema hygiene, opt-in suggestions (off unless .editorconfig turns them on).
    public const string PreferBigintKey = "SW2038";
    public const string PreferIdentity = "SW2039";
    public const string PreferText = "SW2040";
    public const string PreferTimestamptz = "SW2041";
    public const string AvoidCharN = "SW2042";
    public const string PreferJsonb = "SW2043";
    public const string TableWithoutPrimaryKey = "SW2044";
    public const string DomainWithConstraint = "SW2045";

    // SW3xxx: MongoDB, in migrations written against MongoContext.
    public const string MongoDropWithoutJustification = "SW3001";
    public const string MongoFieldRemovalWithoutJustification = "SW3002";
    public const string MongoIndexWithoutName = "SW3003";
    public const string MongoNonConstantCommand = "SW3004";
    public const string MongoCallBypassesSession = "SW3005";
    public const string MongoSwallowedException = "SW3006";
}
