namespace Stepwise.Hosting;

/// <summary>Removes known secrets (password, connection string) from anything written to the console.</summary>
/// <remarks>
/// Messages are built not to contain secrets in the first place; this is the second line of defence against a driver
/// or a migration quoting one back.
/// </remarks>
internal sealed class SecretRedactor
{
    private readonly string[] _secrets;

    public SecretRedactor(IEnumerable<string> secrets) =>
        _secrets = secrets.Where(static s => s.Length >= 3).Distinct().OrderByDescending(static s => s.Length).ToArray();

    public string Redact(string text)
    {
        foreach (var secret in _secrets)
        {
            text = text.Replace(secret, "***", StringComparison.Ordinal);
        }

        return text;
    }
}
