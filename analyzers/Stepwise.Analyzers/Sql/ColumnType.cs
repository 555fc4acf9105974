using System.Collections.Generic;
using System.Globalization;

namespace Stepwise.Analyzers.Sql;

/// <summary>A column's type as a migration declares it: its canonical name and its modifiers (<c>varchar(50)</c>, <c>numeric(10, 2)</c>).</summary>
internal sealed class ColumnType
{
    private ColumnType(string name, int[] modifiers)
    {
        Name = name;
        Modifiers = modifiers;
    }

    public string Name { get; }

    /// <summary>Length, or precision and scale; empty when none is written.</summary>
    public IReadOnlyList<int> Modifiers { get; }

    /// <summary>
    /// The type read by <see cref="ColumnDefinition.ReadType"/>, for the types whose changes the history judges
    /// (<c>varchar</c>, <c>text</c>, <c>numeric</c>); null for any other, or when its modifiers are not plain numbers.
    /// Other types are not modelled: words after some names change the type (<c>time with time zone</c>,
    /// <c>bit varying</c>, <c>interval year to month</c>), so the same name would not mean the same type.
    /// </summary>
    public static ColumnType? From(string? canonical, string written)
    {
        var name = canonical switch
        {
            "decimal" or "numeric" => "numeric",
            "varchar" or "text" => canonical,
            _ => null,
        };
        if (name is null)
        {
            return null;
        }

        var open = written.IndexOf('(');
        if (open < 0)
        {
            return new ColumnType(name, System.Array.Empty<int>());
        }

        var close = written.IndexOf(')', open);
        if (close < 0)
        {
            return null;
        }

        var parts = written.Substring(open + 1, close - open - 1).Split(',');
        var modifiers = new int[parts.Length];
        for (var k = 0; k < parts.Length; k++)
        {
            if (!int.TryParse(parts[k].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out modifiers[k]))
            {
                return null;
            }
        }

        return new ColumnType(name, modifiers);
    }

    /// <summary>
    /// Whether PostgreSQL changes a column from <paramref name="earlier"/> to this type without rewriting the table (or
    /// rebuilding its indexes): a <c>varchar</c> made longer or unlimited, <c>varchar</c> ↔ <c>text</c>, a
    /// <c>numeric</c> given more digits before the point, or no limit. The same type again changes nothing.
    /// </summary>
    public bool KeepsRowsOf(ColumnType earlier)
    {
        if (Name == earlier.Name && SameModifiers(earlier))
        {
            return true;
        }

        switch (earlier.Name, Name)
        {
            case ("varchar", "text"):
            case ("text", "varchar") when Modifiers.Count == 0:
                return true;
            case ("varchar", "varchar"):
                return Modifiers.Count == 0 || (earlier.Modifiers.Count == 1 && Modifiers.Count == 1 && Modifiers[0] >= earlier.Modifiers[0]);
            case ("numeric", "numeric"):
                if (Modifiers.Count == 0)
                {
                    return true;
                }

                // numeric(p) is numeric(p, 0); an unlimited numeric narrowed to a precision is checked row by row.
                var (precision, scale) = (Modifiers[0], Modifiers.Count > 1 ? Modifiers[1] : 0);
                return earlier.Modifiers.Count > 0 &&
                    scale == (earlier.Modifiers.Count > 1 ? earlier.Modifiers[1] : 0) && precision >= earlier.Modifiers[0];
            default:
                return false;
        }
    }

    public override string ToString() => Modifiers.Count == 0 ? Name : $"{Name}({string.Join(", ", Modifiers)})";

    private bool SameModifiers(ColumnType other)
    {
        if (Modifiers.Count != other.Modifiers.Count)
        {
            return false;
        }

        for (var k = 0; k < Modifiers.Count; k++)
        {
            if (Modifiers[k] != other.Modifiers[k])
            {
                return false;
            }
        }

        return true;
    }
}
