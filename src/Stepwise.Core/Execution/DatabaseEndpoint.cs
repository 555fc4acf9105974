namespace Stepwise.Execution;

/// <summary>
/// Where the database is: a full connection string, or the parts the original design passes as environment
/// variables (<c>DB_HOST</c>, <c>DB_PORT</c>, <c>DB_NAME</c>, <c>DB_USER</c>, <c>DB_PASSWORD</c>). The engine turns it into
/// its own connection settings.
/// </summary>
/// <remarks><see cref="ToString"/> never shows the password or the raw connection string.</remarks>
public sealed record DatabaseEndpoint
{
    /// <summary>A complete connection string in the engine's format.</summary>
    public string? ConnectionString { get; init; }

    /// <summary>
    /// Where <see cref="ConnectionString"/> came from, as the user would name it (<c>--connection</c>,
    /// <c>STEPWISE_CONNECTION</c>): messages say where to correct it. <c>null</c> for the parts given one by one.
    /// </summary>
    public string? Origin { get; init; }

    /// <summary>The host name or address.</summary>
    public string? Host { get; init; }

    /// <summary>The port; the engine's default when <c>null</c>.</summary>
    public int? Port { get; init; }

    /// <summary>The database name.</summary>
    public string? Database { get; init; }

    /// <summary>The user name.</summary>
    public string? User { get; init; }

    /// <summary>The password.</summary>
    public string? Password { get; init; }

    /// <summary>How the connection is protected, in the engine's words (PostgreSQL: an SSL Mode such as <c>VerifyFull</c>); wins over the connection string's.</summary>
    public string? TlsMode { get; init; }

    /// <summary>A file with the certificate of the authority that signed the server's; wins over the connection string's.</summary>
    public string? RootCertificate { get; init; }

    /// <summary>Values that must never appear in output: the password and the connection string.</summary>
    public IEnumerable<string> Secrets()
    {
        if (!string.IsNullOrEmpty(Password))
        {
            yield return Password;
        }

        if (!string.IsNullOrEmpty(ConnectionString))
        {
            yield return ConnectionString;

            // A URI's password, as written and as decoded (p%40ss is p@ss to the server and to any message quoting it).
            if (ConnectionString.Contains("://", StringComparison.Ordinal) && Uri.TryCreate(ConnectionString.Trim(), UriKind.Absolute, out var uri) &&
                uri.UserInfo.IndexOf(':', StringComparison.Ordinal) is var colon and >= 0 && colon < uri.UserInfo.Length - 1)
            {
                var written = uri.UserInfo[(colon + 1)..];
                yield return written;
                yield return Uri.UnescapeDataString(written);
            }
        }
    }

    /// <inheritdoc />
    public override string ToString() => ConnectionString is not null ? "(connection string)" : $"{Host}:{Port}/{Database} as {User}";
}
