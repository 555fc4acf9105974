namespace Stepwise;

/// <summary>A pre-check or validation found the database not in the expected state.</summary>
public sealed class MigrationCheckException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MigrationCheckException()
        : this("the check failed")
    {
    }

    /// <summary>Creates the exception with the failed expectation.</summary>
    /// <param name="message">The expectation that did not hold.</param>
    public MigrationCheckException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the failed expectation and its cause.</summary>
    public MigrationCheckException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
