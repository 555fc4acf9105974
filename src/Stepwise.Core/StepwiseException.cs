namespace Stepwise;

/// <summary>
/// A failure Stepwise explains to its user: the message says what is wrong and what to do, and never holds a secret.
/// </summary>
public sealed class StepwiseException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StepwiseException(FailureKind kind, string message, Exception? innerException = null)
        : base(message, innerException) => Kind = kind;

    /// <summary>Creates a usage failure.</summary>
    public StepwiseException()
        : this(FailureKind.Usage, "Stepwise failed.")
    {
    }

    /// <summary>Creates a usage failure with a message.</summary>
    public StepwiseException(string message)
        : this(FailureKind.Usage, message)
    {
    }

    /// <summary>Creates a usage failure with a message and cause.</summary>
    public StepwiseException(string message, Exception innerException)
        : this(FailureKind.Usage, message, innerException)
    {
    }

    /// <summary>Why the run failed.</summary>
    public FailureKind Kind { get; }
}
