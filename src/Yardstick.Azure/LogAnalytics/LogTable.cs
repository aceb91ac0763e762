using System.Globalization;
using System.Text.Json;

namespace Yardstick.Azure.LogAnalytics;

/// <summary>The result of a Log Analytics query: its tables, and the partial-result error when the service sent one.</summary>
public sealed record LogQueryResult
{
    public IReadOnlyList<LogTable> Tables { get; init; } = [];

    /// <summary>Set when the query succeeded only partly (the service returns 200 with an <c>error</c> member).</summary>
    public string? PartialError { get; init; }

    /// <summary>The <c>PrimaryResult</c> table (or the first table).</summary>
    public LogTable PrimaryResult =>
        Tables.FirstOrDefault(t => t.Name == "PrimaryResult") ?? (Tables.Count > 0 ? Tables[0] : LogTable.Empty);
}

/// <summary>One column: its name and Kusto type (<c>string</c>, <c>datetime</c>, <c>long</c>, <c>real</c>, <c>bool</c>, <c>dynamic</c>…).</summary>
public sealed record LogColumn(string Name, string Type);

/// <summary>
/// A typed table: each cell is converted by its column's type — string → <see cref="string"/>, datetime →
/// <see cref="DateTimeOffset"/>, long/int → <see cref="long"/>, real/decimal → <see cref="double"/>, bool →
/// <see cref="bool"/>, timespan → <see cref="TimeSpan"/>, guid → <see cref="Guid"/>, dynamic → its JSON text;
/// null cells stay null. Numbers and booleans written as strings (as in the spec examples) are accepted.
/// </summary>
public sealed record LogTable
{
    public static LogTable Empty { get; } = new() { Name = "" };

    public required string Name { get; init; }

    public IReadOnlyList<LogColumn> Columns { get; init; } = [];

    public IReadOnlyList<IReadOnlyList<object?>> Rows { get; init; } = [];

    /// <summary>Index of a column (case-insensitive), or -1.</summary>
    public int IndexOf(string column)
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            if (string.Equals(Columns[i].Name, column, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The cell of <paramref name="column"/> in row <paramref name="row"/> as <typeparamref name="T"/>; default when null or the column is absent.</summary>
    public T? Get<T>(int row, string column)
    {
        var index = IndexOf(column);
        return index < 0 || Rows[row][index] is not T value ? default : value;
    }

    /// <summary>Converts one JSON cell by the column's Kusto type; throws <see cref="FormatException"/> when it does not fit.</summary>
    internal static object? Convert(JsonElement cell, string type)
    {
        if (cell.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var text = cell.ValueKind == JsonValueKind.String ? cell.GetString()! : cell.GetRawText();
        switch (type.ToLowerInvariant())
        {
            case "string":
                return text;
            case "datetime":
                return DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
            case "long":
            case "int":
                return cell.ValueKind == JsonValueKind.Number && cell.TryGetInt64(out var l)
                    ? l
                    : long.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture);
            case "real":
            case "decimal":
                return cell.ValueKind == JsonValueKind.Number
                    ? cell.GetDouble()
                    : ParseReal(text);
            case "bool":
            case "boolean":
                return cell.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    _ => text switch
                    {
                        "1" => true,
                        "0" => false,
                        _ => bool.Parse(text),
                    },
                };
            case "timespan":
                return TimeSpan.Parse(text, CultureInfo.InvariantCulture);
            case "guid":
                return Guid.Parse(text);
            default:
                // dynamic and anything newer: keep the JSON text.
                return text;
        }
    }

    private static double ParseReal(string text) => text switch
    {
        "NaN" => double.NaN,
        "Infinity" => double.PositiveInfinity,
        "-Infinity" => double.NegativeInfinity,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };
}
