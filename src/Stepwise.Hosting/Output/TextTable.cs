using System.Text;

namespace Stepwise.Hosting.Output;

/// <summary>Left-aligned columns for terminal output.</summary>
internal sealed class TextTable
{
    private readonly List<string[]> _rows = [];

    public TextTable(params string[] header) => _rows.Add(header);

    public TextTable Add(params string?[] cells)
    {
        _rows.Add(cells.Select(static c => c ?? "").ToArray());
        return this;
    }

    public TextTable AddRange(IEnumerable<string?[]> rows)
    {
        foreach (var row in rows)
        {
            Add(row);
        }

        return this;
    }

    public override string ToString()
    {
        var columns = _rows.Max(static r => r.Length);
        var widths = Enumerable.Range(0, columns).Select(c => _rows.Max(r => c < r.Length ? r[c].Length : 0)).ToArray();
        var text = new StringBuilder();
        foreach (var row in _rows)
        {
            text.Append("  ");
            for (var c = 0; c < row.Length; c++)
            {
                text.Append(c == row.Length - 1 ? row[c] : row[c].PadRight(widths[c] + 2));
            }

            text.AppendLine();
        }

        return text.ToString();
    }
}
