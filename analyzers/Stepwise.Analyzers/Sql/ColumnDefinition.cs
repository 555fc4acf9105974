using System.Text;

namespace Stepwise.Analyzers.Sql;

/// <summary>
/// One column definition (<c>name type [constraints]</c>) of CREATE TABLE or ALTER TABLE … ADD COLUMN, within
/// [start, end) of a statement: its name, its type as PostgreSQL knows it, and the constraints the rules ask about.
/// </summary>
internal sealed class ColumnDefinition
{
    public ColumnDefinition(SqlStatement statement, int start, int end)
    {
        var i = start;
        Name = statement.ReadName(ref i);
        TypeStart = i;
        Type = ReadType(statement, ref i, end, out var written, out var hasLength);
        TypeEnd = i;
        Written = written;
        HasLength = hasLength;
        // A collation of its own is not modelled: a later change without it would rebuild the column's indexes.
        DeclaredType = IsArraySuffix(statement, i, end) || statement.FindTopLevel(i, end, "COLLATE") >= 0 ? null : ColumnType.From(Type, written);
        IsPrimaryKey = statement.FindTopLevel(i, end, "PRIMARY", "KEY") >= 0;
        var generated = statement.FindTopLevel(i, end, "GENERATED");
        IsIdentity = generated >= 0 && statement.FindTopLevel(generated, end, "IDENTITY") >= 0;
        IsStoredGenerated = generated >= 0 && !IsIdentity && statement.FindTopLevel(generated, end, "STORED") >= 0;
    }

    public string? Name { get; }

    /// <summary>The type's canonical name (<c>integer</c>, <c>varchar</c>, <c>timestamp</c>, <c>timestamptz</c>, …); null when none is written.</summary>
    public string? Type { get; }

    /// <summary>The type as written, lower case (<c>varchar(255)</c>).</summary>
    public string Written { get; }

    /// <summary>The type is written with a length or precision: <c>varchar(255)</c>, <c>char(2)</c>.</summary>
    public bool HasLength { get; }

    /// <summary>The type with its modifiers, for the column history; null for an array or a type whose modifiers are not numbers.</summary>
    public ColumnType? DeclaredType { get; }

    public int TypeStart { get; }

    public int TypeEnd { get; }

    public bool IsPrimaryKey { get; }

    /// <summary>GENERATED … AS IDENTITY.</summary>
    public bool IsIdentity { get; }

    /// <summary>GENERATED ALWAYS AS (expression) STORED.</summary>
    public bool IsStoredGenerated { get; }

    public bool IsSerial => Type is "serial" or "smallserial" or "bigserial";

    /// <summary>The type's canonical name as PostgreSQL resolves its spellings and aliases.</summary>
    public static string? ReadType(SqlStatement s, ref int i, int end, out string written, out bool hasLength)
    {
        var from = i;
        string? type = null;
        if (i < end && s[i].Kind == SqlTokenKind.Word)
        {
            // A qualified name (pg_catalog.int4) is read to its last part.
            var k = i;
            var name = s.ReadName(ref k)?.ToUpperInvariant();
            i = k;
            type = name switch
            {
                "INT" or "INTEGER" or "INT4" => "integer",
                "SMALLINT" or "INT2" => "smallint",
                "BIGINT" or "INT8" => "bigint",
                "SERIAL" or "SERIAL4" => "serial",
                "SMALLSERIAL" or "SERIAL2" => "smallserial",
                "BIGSERIAL" or "SERIAL8" => "bigserial",
                "VARCHAR" => "varchar",
                "CHARACTER" when s.IsWord(i, "VARYING") => Skip(ref i, "varchar"),
                "CHAR" or "CHARACTER" or "BPCHAR" => "char",
                "TIMESTAMP" => "timestamp",
                "TIMESTAMPTZ" => "timestamptz",
                "JSON" => "json",
                "JSONB" => "jsonb",
                "TEXT" => "text",
                "DOUBLE" when s.IsWord(i, "PRECISION") => Skip(ref i, "double precision"),
                null => null,
                _ => name.ToLowerInvariant(),
            };
        }

        hasLength = false;
        if (i < end && s[i].Kind == SqlTokenKind.OpenParen)
        {
            hasLength = true;
            s.SkipParenthesized(ref i);
        }

        if (type is "timestamp" && s.IsWord(i, "WITH") && s.IsWord(i + 1, "TIME") && s.IsWord(i + 2, "ZONE"))
        {
            type = "timestamptz";
            i += 3;
        }
        else if (type is "timestamp" && s.IsWord(i, "WITHOUT") && s.IsWord(i + 1, "TIME") && s.IsWord(i + 2, "ZONE"))
        {
            i += 3;
        }

        var text = new StringBuilder();
        for (var k = from; k < i; k++)
        {
            var token = s[k];
            if (text.Length > 0 && token.Kind == SqlTokenKind.Word && s[k - 1].Kind == SqlTokenKind.Word)
            {
                text.Append(' ');
            }

            text.Append(token.Kind == SqlTokenKind.Word ? token.Value.ToLowerInvariant() : token.Value);
        }

        written = text.ToString();
        return type;
    }

    /// <summary>The type read ends before <c>[]</c> or <c>ARRAY</c>: the column holds arrays of it.</summary>
    public static bool IsArraySuffix(SqlStatement s, int i, int end) =>
        i < end && (s.IsWord(i, "ARRAY") || (s[i].Kind == SqlTokenKind.Operator && s[i].Value.StartsWith("[", System.StringComparison.Ordinal)));

    private static string Skip(ref int i, string type)
    {
        i++;
        return type;
    }
}
