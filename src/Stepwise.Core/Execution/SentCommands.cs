using System.Text;
using System.Text.RegularExpressions;

namespace Stepwise.Execution;

/// <summary>
/// The statements or commands a step sent to change the database, as its history and audit trail keep them: bounded
/// in size, with password literals replaced by <c>***</c>. Parameter values are never kept (they may be data or
/// secrets); only the text the migration wrote.
/// </summary>
public sealed partial class SentCommands
{
    /// <summary>The most characters kept: the statement that reaches it is cut there, and those after are counted, not kept.</summary>
    public const int MaxLength = 4000;

    private readonly Lock _gate = new();
    private readonly Redaction _redaction;
    private readonly StringBuilder _text = new();
    private int _left;
    private bool _full;

    /// <summary>Statements kept as they are, but for password literals.</summary>
    public SentCommands()
        : this(Redaction.None)
    {
    }

    /// <summary>Statements from which <paramref name="secrets"/> (the connection's password) are also taken out.</summary>
    public SentCommands(IEnumerable<string> secrets)
        : this(new Redaction(secrets ?? throw new ArgumentNullException(nameof(secrets))))
    {
    }

    /// <summary>Statements from which the run's secrets are also taken out (one per step: the secrets are sorted once per run).</summary>
    internal SentCommands(Redaction redaction) => _redaction = redaction;

    /// <summary>Keeps <paramref name="command"/>, cleaned, as long as there is room; counts it otherwise.</summary>
    public void Add(string command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var cleaned = Clean(command, _redaction);
        if (cleaned.Length == 0)
        {
            return;
        }

        lock (_gate)
        {
            var room = MaxLength - _text.Length - (_text.Length == 0 ? 0 : 1);
            if (_full || room < 1)
            {
                _left++;
                return;
            }

            if (cleaned.Length > room)
            {
                // The statement that does not fit is kept as far as it goes (a whole script in one command is
                // still shown), and nothing after it.
                cleaned = BoundedText.Cut(cleaned, room);
                _full = true;
            }

            _text.Append(_text.Length == 0 ? "" : "\n").Append(cleaned);
        }
    }

    /// <summary>Forgets what was sent: a step that runs again after a transient failure sends it all again.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _text.Clear();
            _left = 0;
            _full = false;
        }
    }

    /// <summary>What was kept, with a last line counting what was not; <c>null</c> when nothing was sent.</summary>
    public string? Text
    {
        get
        {
            lock (_gate)
            {
                return _text.Length == 0 && _left == 0 ? null
                    : _left == 0 ? _text.ToString()
                    : $"{_text}{(_text.Length == 0 ? "" : "\n")}… and {_left} more statement(s), not kept";
            }
        }
    }

    // Trimmed, and without password literals: CREATE ROLE app PASSWORD 'x', ALTER USER … ENCRYPTED PASSWORD $$x$$, and
    // password=x inside a connection string (dblink, postgres_fdw's OPTIONS).
    internal static string Clean(string command, Redaction redaction)
    {
        var text = redaction.Clean(command.Trim())!;
        if (!text.Contains("password", StringComparison.OrdinalIgnoreCase) && !text.Contains("pwd", StringComparison.OrdinalIgnoreCase))
        {
            return text; // Nearly every statement: no regex to run (or to compile, in a process that lives for one run).
        }

        text = PasswordLiteral().Replace(text, "${key}'***'");
        return PasswordSetting().Replace(text, "${key}***");
    }

    [GeneratedRegex("""(?<key>\bPASSWORD\s+)(?:'(?:[^']|'')*'|(?<tag>\$[A-Za-z_0-9]*\$)[\s\S]*?\k<tag>|E'(?:[^'\\]|\\.|'')*')""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PasswordLiteral();

    // The value bare, quoted, or quoted inside a SQL literal (password=''x'').
    [GeneratedRegex("""(?<key>\b(?:password|pwd)\s*=\s*)(?:''(?:[^']|'(?!'))*''|'(?:[^']|'')*'|"(?:[^"]|"")*"|[^;\s'",)]*)""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PasswordSetting();
}
