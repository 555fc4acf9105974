namespace Stepwise;

/// <summary>A rollback reached a migration that has no <c>Down</c>.</summary>
public sealed class IrreversibleMigrationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public IrreversibleMigrationException()
        : base("The migration has no rollback.")
    {
    }

    /// <summary>Creates the exception for the named migration.</summary>
    public IrreversibleMigrationException(string migration)
        : base($"Migration {migration} has no rollback (Down is not implemented).")
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public IrreversibleMigrationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
