using System.Globalization;
using System.Text.Json.Nodes;

namespace Yardstick.Core.Workloads.Documents;

/// <summary>A 1-based line and column in a workload file.</summary>
internal readonly record struct DocMark(int Line, int Column);

/// <summary>
/// A node of a parsed workload document (YAML or JSON). Unlike a plain JSON tree, every node remembers where it
/// came from: a position in the file, or the <c>--set</c> override that created it, so errors can point there.
/// </summary>
internal abstract class DocNode
{
    protected DocNode(DocMark? mark, string? origin)
    {
        Mark = mark;
        Origin = origin;
    }

    /// <summary>Position in the file; null for nodes created by an override.</summary>
    public DocMark? Mark { get; }

    /// <summary>The override that created the node (<c>--set load.rate</c>); null for nodes from the file.</summary>
    public string? Origin { get; }

    /// <summary>Short kind name for messages ("a mapping", "a list", "a string"...).</summary>
    public abstract string KindName { get; }

    public abstract JsonNode? ToJson();
}

/// <summary>One key of a mapping with its position.</summary>
internal sealed class DocEntry(string key, DocMark? keyMark, DocNode value)
{
    public string Key { get; } = key;

    public DocMark? KeyMark { get; } = keyMark;

    public DocNode Value { get; set; } = value;
}

internal sealed class DocMap(DocMark? mark, string? origin) : DocNode(mark, origin)
{
    public List<DocEntry> Entries { get; } = [];

    public override string KindName => "a mapping";

    public DocEntry? Find(string key) => Entries.Find(e => e.Key == key);

    public DocNode? Get(string key) => Find(key)?.Value;

    public bool Has(string key) => Find(key) is { Value: not DocScalar { Kind: ScalarKind.Null } };

    public void Set(string key, DocNode value, DocMark? keyMark = null)
    {
        var existing = Find(key);
        if (existing is null)
        {
            Entries.Add(new DocEntry(key, keyMark, value));
        }
        else
        {
            existing.Value = value;
        }
    }

    public bool Remove(string key) => Entries.RemoveAll(e => e.Key == key) > 0;

    public override JsonNode ToJson()
    {
        var obj = new JsonObject();
        foreach (var entry in Entries)
        {
            obj[entry.Key] = entry.Value.ToJson();
        }

        return obj;
    }
}

internal sealed class DocSeq(DocMark? mark, string? origin) : DocNode(mark, origin)
{
    public List<DocNode> Items { get; } = [];

    public override string KindName => "a list";

    public override JsonNode ToJson()
    {
        var array = new JsonArray();
        foreach (var item in Items)
        {
            array.Add(item.ToJson());
        }

        return array;
    }
}

internal enum ScalarKind
{
    Null,
    Bool,
    Number,
    String,
}

/// <summary>
/// A scalar typed by the YAML 1.2 core schema: plain <c>null</c>/<c>~</c>/empty is null, <c>true</c>/<c>false</c>
/// a boolean, decimal numbers numbers, anything else (and anything quoted) a string. <c>yes</c>/<c>no</c> stay strings.
/// </summary>
internal sealed class DocScalar : DocNode
{
    public DocScalar(string text, ScalarKind kind, DocMark? mark, string? origin)
        : base(mark, origin)
    {
        Text = text;
        Kind = kind;
    }

    /// <summary>The scalar as written (for numbers, the digits as written).</summary>
    public string Text { get; }

    public ScalarKind Kind { get; }

    public override string KindName => Kind switch
    {
        ScalarKind.Null => "null",
        ScalarKind.Bool => "a boolean",
        ScalarKind.Number => "a number",
        _ => "a string",
    };

    /// <summary>Types a plain (unquoted) scalar.</summary>
    public static DocScalar Plain(string text, DocMark? mark, string? origin) =>
        new(text, ClassifyPlain(text), mark, origin);

    public static ScalarKind ClassifyPlain(string text) => text switch
    {
        "" or "~" or "null" or "Null" or "NULL" => ScalarKind.Null,
        "true" or "True" or "TRUE" or "false" or "False" or "FALSE" => ScalarKind.Bool,
        _ => IsNumber(text) ? ScalarKind.Number : ScalarKind.String,
    };

    public bool AsBool => Text is "true" or "True" or "TRUE";

    public bool TryGetDouble(out double value) =>
        double.TryParse(Text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    /// <summary>A copy of this scalar typed as a string (used where the schema only allows strings).</summary>
    public DocScalar AsString() => new(Text, ScalarKind.String, Mark, Origin);

    public override JsonNode? ToJson() => Kind switch
    {
        ScalarKind.Null => null,
        ScalarKind.Bool => JsonValue.Create(AsBool),
        ScalarKind.Number => IsInteger(Text) && long.TryParse(Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)
            ? JsonValue.Create(l)
            : JsonValue.Create(double.Parse(Text, NumberStyles.Float, CultureInfo.InvariantCulture)),
        _ => JsonValue.Create(Text),
    };

    private static bool IsInteger(string text)
    {
        var span = text.AsSpan();
        if (span.Length > 0 && (span[0] == '-' || span[0] == '+'))
        {
            span = span[1..];
        }

        return span.Length > 0 && !span.ContainsAnyExceptInRange('0', '9');
    }

    // YAML 1.2 core schema numbers: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?. Hex/octal/.inf stay strings
    // (JSON cannot carry them, and no workload field wants them).
    private static bool IsNumber(string text)
    {
        var i = 0;
        var n = text.Length;
        if (i < n && (text[i] == '-' || text[i] == '+'))
        {
            i++;
        }

        var digits = 0;
        while (i < n && char.IsAsciiDigit(text[i]))
        {
            i++;
            digits++;
        }

        if (i < n && text[i] == '.')
        {
            i++;
            while (i < n && char.IsAsciiDigit(text[i]))
            {
                i++;
                digits++;
            }
        }

        if (digits == 0)
        {
            return false;
        }

        if (i < n && (text[i] == 'e' || text[i] == 'E'))
        {
            i++;
            if (i < n && (text[i] == '-' || text[i] == '+'))
            {
                i++;
            }

            var expDigits = 0;
            while (i < n && char.IsAsciiDigit(text[i]))
            {
                i++;
                expDigits++;
            }

            if (expDigits == 0)
            {
                return false;
            }
        }

        return i == n && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v);
    }
}
