namespace Stepwise.PostgreSql;

/// <summary>
/// A quoted, possibly schema-qualified PostgreSQL identifier, safe to place in SQL text: each part is double-quoted with
/// embedded quotes doubled, so no value can change the statement around it. The build-time rule against SQL built from
/// non-constant values (SW2014) accepts it in interpolations.
/// </summary>
/// <example><c>await db.ExecuteAsync($"UPDATE accounts AS a SET name = b.name FROM {backup} AS b WHERE a.id = b.id", ct);</c></example>
public readonly record struct SqlIdentifier
{
    private readonly string _quoted;

    private SqlIdentifier(string quoted) => _quoted = quoted;

    /// <summary>Quotes a name; dots separate schema and object (<c>audit.events</c> becomes <c>"audit"."events"</c>).</summary>
    public static SqlIdentifier Quote(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new SqlIdentifier(string.Join('.', name.Split('.').Select(Part)));
    }

    /// <summary>Quotes a schema and an object name, each taken whole (a dot inside either stays part of the name).</summary>
    public static SqlIdentifier Quote(string schema, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(schema);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new SqlIdentifier(Part(schema) + "." + Part(name));
    }

    /// <summary>The quoted text, ready for SQL.</summary>
    public override string ToString() => _quoted ?? "";

    private static string Part(string part) => "\"" + part.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
