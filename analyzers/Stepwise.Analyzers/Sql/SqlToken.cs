namespace Stepwise.Analyzers.Sql;

internal enum SqlTokenKind
{
    /// <summary>A keyword or unquoted identifier; <see cref="SqlToken.Value"/> is upper-cased for keyword matching.</summary>
    Word,

    /// <summary>A "quoted identifier"; <see cref="SqlToken.Value"/> is the name, exact.</summary>
    QuotedIdentifier,

    /// <summary>A string constant in any form: '…', E'…', U&amp;'…', B'…', X'…' or $tag$…$tag$.</summary>
    String,
    Number,

    /// <summary>$1 or Dapper's @name.</summary>
    Parameter,
    OpenParen,
    CloseParen,
    Comma,
    Semicolon,
    Dot,
    Operator,
}

/// <summary>A token of PostgreSQL SQL, with its place in the text it came from.</summary>
internal readonly struct SqlToken
{
    public SqlToken(SqlTokenKind kind, int start, int length, string value)
    {
        Kind = kind;
        Start = start;
        Length = length;
        Value = value;
    }

    public SqlTokenKind Kind { get; }

    public int Start { get; }

    public int Length { get; }

    public int End => Start + Length;

    public string Value { get; }

    public bool IsWord(string upperCaseWord) => Kind == SqlTokenKind.Word && Value == upperCaseWord;

    public override string ToString() => Kind + ":" + Value;
}
