using System.Globalization;
using Yardstick.Core.Load;

namespace Yardstick.Core.Workloads.Documents;

/// <summary>
/// Typed, forgiving reads from one mapping of a document. A value of the wrong type is reported once (usually the
/// schema already did) and read as absent, so mapping always completes and semantic checks can still run.
/// </summary>
internal readonly struct MapReader(DocMap? map, DocPath path, ErrorSink sink)
{
    public DocPath Path => path;

    public bool Exists => map is not null;

    /// <summary>A reader over another mapping of the same document (a list item, for example).</summary>
    public MapReader Sub(DocNode? node, DocPath at) => new(node as DocMap, at, sink);

    /// <summary>True when the key is present with a non-null value.</summary>
    public bool Has(string key) => map?.Has(key) == true;

    public DocNode? Node(string key) => map?.Get(key) is { } n and not DocScalar { Kind: ScalarKind.Null } ? n : null;

    public string? String(string key)
    {
        switch (Node(key))
        {
            case null:
                return null;
            case DocScalar { Kind: ScalarKind.String } s:
                return s.Text;
            case var other:
                Wrong(key, "a string", other);
                return null;
        }
    }

    /// <summary>A string, number or boolean read as text (httpVersion, sweep values).</summary>
    public string? Text(string key)
    {
        var node = Node(key);
        if (node is null or DocScalar)
        {
            return (node as DocScalar)?.Text;
        }

        Wrong(key, "a single value", node);
        return null;
    }

    public bool? Bool(string key) => Node(key) switch
    {
        null => null,
        DocScalar { Kind: ScalarKind.Bool } s => s.AsBool,
        var other => Wrong<bool>(key, "true or false", other),
    };

    public double? Double(string key) => Node(key) switch
    {
        null => null,
        DocScalar { Kind: ScalarKind.Number } s when s.TryGetDouble(out var v) => v,
        var other => Wrong<double>(key, "a number", other),
    };

    public int? Int(string key)
    {
        var value = Long(key);
        if (value is null)
        {
            return null;
        }

        if (value is < int.MinValue or > int.MaxValue)
        {
            sink.Structural(path.Key(key), $"{value} is out of range.");
            return null;
        }

        return (int)value;
    }

    public long? Long(string key) => Node(key) switch
    {
        null => null,
        DocScalar { Kind: ScalarKind.Number } s when s.TryGetDouble(out var v) && Math.Abs(v) < 9e15 && v == Math.Floor(v) => (long)v,
        var other => Wrong<long>(key, "a whole number", other),
    };

    public TimeSpan? Duration(string key)
    {
        var text = String(key);
        if (text is null)
        {
            return null;
        }

        if (DurationText.TryParse(text, out var duration))
        {
            return duration;
        }

        Bad(key, $"'{text}' is not a duration; write a number with ms, s, m or h (500ms, 30s, 2m, 1h, 1m30s).");
        return null;
    }

    public Rate? Rate(string key) => RateAt(Node(key), path.Key(key));

    public Rate? RateAt(DocNode? node, DocPath at)
    {
        switch (node)
        {
            case null:
                return null;
            case DocScalar { Kind: ScalarKind.String } s when Load.Rate.TryParse(s.Text, out var rate):
                return rate;
            case DocScalar { Kind: ScalarKind.String } s:
                if (!sink.HasStructuralAt(at))
                {
                    sink.Structural(at, $"'{s.Text}' is not a rate; write requests per second, minute or hour (200/s, 12000/m, 50/h).");
                }

                return null;
            default:
                if (!sink.HasStructuralAt(at))
                {
                    sink.Structural(at, $"expected a rate such as 200/s, found {node.KindName}.");
                }

                return null;
        }
    }

    /// <summary>Reads a camelCase name into an enum value (case-sensitive, as the schema lists them).</summary>
    public T? Enum<T>(string key)
        where T : struct, Enum
    {
        var text = String(key);
        if (text is null)
        {
            return null;
        }

        foreach (var value in System.Enum.GetValues<T>())
        {
            if (CamelCase(value.ToString()) == text)
            {
                return value;
            }
        }

        var names = System.Enum.GetValues<T>().Select(v => CamelCase(v.ToString())).ToList();
        Bad(key, $"'{text}' is not one of: {string.Join(", ", names)}{NameSuggestions.DidYouMean(text, names)}");
        return null;
    }

    public MapReader Map(string key)
    {
        var node = Node(key);
        if (node is not null and not DocMap)
        {
            Wrong(key, "a mapping", node);
        }

        return new MapReader(node as DocMap, path.Key(key), sink);
    }

    /// <summary>The items of a list with their paths; empty when absent or not a list.</summary>
    public IReadOnlyList<(DocNode Node, DocPath Path)> List(string key)
    {
        var node = Node(key);
        if (node is DocSeq seq)
        {
            var at = path.Key(key);
            return seq.Items.Select((item, i) => (item, at.Index(i))).ToList();
        }

        if (node is not null)
        {
            Wrong(key, "a list", node);
        }

        return [];
    }

    /// <summary>A list of durations (<c>[1m, 5m]</c>); items that are not durations are reported at their index and skipped.</summary>
    public IReadOnlyList<TimeSpan> DurationList(string key)
    {
        var result = new List<TimeSpan>();
        foreach (var (node, at) in List(key))
        {
            if (node is DocScalar { Kind: ScalarKind.String } s && DurationText.TryParse(s.Text, out var duration))
            {
                result.Add(duration);
            }
            else if (!sink.HasStructuralAt(at))
            {
                sink.Structural(at, node is DocScalar scalar
                    ? $"'{scalar.Text}' is not a duration; write a number with ms, s, m or h (500ms, 30s, 2m, 1h, 1m30s)."
                    : $"expected a duration, found {node.KindName}.");
            }
        }

        return result;
    }

    /// <summary>A mapping of strings (headers, env, tags); entries that are not strings are reported and skipped.</summary>
    public IReadOnlyDictionary<string, string> StringMap(string key)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var reader = Map(key);
        if (reader.Exists)
        {
            foreach (var entry in reader.Entries)
            {
                if (reader.String(entry) is { } value)
                {
                    result[entry] = value;
                }
            }
        }

        return result;
    }

    public IEnumerable<string> Entries => map?.Entries.Select(e => e.Key) ?? [];

    public static string CamelCase(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    private void Bad(string key, string message)
    {
        if (!sink.HasStructuralAt(path.Key(key)))
        {
            sink.Structural(path.Key(key), message);
        }
    }

    private void Wrong(string key, string expected, DocNode node)
    {
        var at = path.Key(key);
        if (!sink.HasStructuralAt(at))
        {
            sink.Structural(at, $"expected {expected}, found {node.KindName}.");
        }
    }

    private T? Wrong<T>(string key, string expected, DocNode node)
        where T : struct
    {
        Wrong(key, expected, node);
        return null;
    }

    internal static string Format(double value) => value.ToString("0.################", CultureInfo.InvariantCulture);
}
