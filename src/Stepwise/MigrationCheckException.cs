namespace Stepwise;

/// <summary>
/// A pre-check or validation found the database not in the expected state. The message says both what was expected and
/// what was found: <c>expected: table orders does not exist yet; found: it exists</c>.
/// </summary>
public sealed class MigrationCheckException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MigrationCheckException()
        : this("the check holds", NotHeld)
    {
    }

    /// <summary>Creates the exception with the failed expectation, found not to hold.</summary>
    /// <param name="message">The expectation that did not hold, e.g. <c>"no order is without a customer"</c>.</param>
    public MigrationCheckException(string message)
        : this(message, NotHeld)
    {
    }

    /// <summary>Creates the exception with the failed expectation and what was found instead.</summary>
    /// <param name="expectation">The expectation that did not hold, e.g. <c>"table orders exists"</c>.</param>
    /// <param name="found">What the check found instead, e.g. <c>"it does not"</c> or <c>"3 orders without a customer"</c>.</param>
    public MigrationCheckException(string expectation, string found)
        : this(expectation, found, null)
    {
    }

    /// <summary>Creates the exception with the failed expectation and its cause.</summary>
    public MigrationCheckException(string message, Exception innerException)
        : this(message, NotHeld, innerException)
    {
    }

    /// <summary>Creates the exception with the failed expectation, what was found instead, and the cause.</summary>
    public MigrationCheckException(string expectation, string found, Exception? innerException)
        : base(Describe(expectation, found), innerException)
    {
        Expectation = expectation;
        Found = found;
    }

    /// <summary>What the check expected, in words.</summary>
    public string Expectation { get; }

    /// <summary>What the check found instead, in words.</summary>
    public string Found { get; }

    /// <summary>What a check reports when all it knows is that its condition was false.</summary>
    private const string NotHeld = "it does not hold";

    private static string Describe(string expectation, string found) =>
        $"expected: {expectation.Trim().TrimEnd('.')}; found: {found.Trim().TrimEnd('.')}";
}
