using System.Text;
using Yardstick.Core.Datasets;
using Yardstick.Core.Load.Requests;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Replay;

/// <summary>
/// A replay with a dataset (<c>data:</c> next to <c>load.model: replay</c>): every replayed arrival draws one row, which
/// fills the <c>${data.column}</c> holes written in the trace line's path and body, and the query values the trace
/// recorded as <see cref="Redacted"/> whose parameter name is a column. This class checks the holes a trace names
/// (<see cref="TraceSummary.DataHoles"/>) against the dataset before anything runs.
/// </summary>
public static class ReplayData
{
    /// <summary>The value <c>yardstick trace export</c> writes for a redacted query value.</summary>
    public const string Redacted = "REDACTED";

    /// <summary>
    /// Refuses, naming <c>load.trace</c> with the line, a hole without a dataset, and a hole naming a column the
    /// dataset's header lacks (when <paramref name="columns"/> is known).
    /// </summary>
    /// <param name="trace">The described trace.</param>
    /// <param name="data">The workload's dataset; null when it has none.</param>
    /// <param name="columns">The dataset's columns when its header was read; null when unknown (not checked).</param>
    /// <exception cref="InputException">Names <c>load.trace</c>.</exception>
    public static void CheckHoles(TraceSummary trace, DataSpec? data, IReadOnlyList<string>? columns)
    {
        ArgumentNullException.ThrowIfNull(trace);
        if (trace.DataHoles.Count == 0)
        {
            return;
        }

        if (data is null)
        {
            var first = trace.DataHoles[0];
            throw new InputException(TraceReader.Field, $"line {first.Line}: ${{data.{first.Column}}} needs a dataset; add data: {{ file: data/<name>.csv }} (or {{ blob: datasets/<name> }}) with a '{first.Column}' column, whose rows fill the trace's holes one per arrival.");
        }

        if (columns is null || columns.Count == 0)
        {
            return;
        }

        foreach (var hole in trace.DataHoles)
        {
            if (!columns.Contains(hole.Column, StringComparer.Ordinal))
            {
                throw new InputException(TraceReader.Field, $"line {hole.Line}: ${{data.{hole.Column}}} is not a column of {data.File ?? data.Blob} (columns: {string.Join(", ", columns)}).");
            }
        }
    }
}

/// <summary>
/// Writes one trace line's path and body with a data row's values: <c>${data.column}</c> holes in the path URL-encoded
/// (the rule of holes in <c>target.url</c>), in the body JSON-escaped inside a JSON string of a JSON body, as a JSON value
/// elsewhere in one, raw in any other body (the rule of request bodies); a query value that reads exactly
/// <see cref="ReplayData.Redacted"/> whose (unescaped) parameter name is a column gets that column's value, URL-encoded.
/// The template parsing and encoders are the request catalog's. Used by the replay's prefetch thread only.
/// </summary>
internal sealed class ReplayRowFiller
{
    /// <summary>Distinct templated paths and bodies whose parse is kept (a trace repeats a few templates many times).</summary>
    internal const int MaxCachedTemplates = 4096;

    private const string RedactedValue = "=" + ReplayData.Redacted;

    private readonly Dictionary<string, int> _columns = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _columnsBySpan;
    private readonly Dictionary<string, IReadOnlyList<TemplatePart>> _paths = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<TemplatePart>> _bodies = new(StringComparer.Ordinal);
    private readonly IReadOnlyList<string> _columnList;
    private readonly string _dataset;
    private readonly string? _contentType;
    private readonly bool _anyRedactable;

    /// <param name="columns">The dataset's columns (a row's values are in this order).</param>
    /// <param name="dataset">The dataset as the workload names it (for messages).</param>
    /// <param name="contentType">The Content-Type the requests carry (target.headers); null: a body is JSON when it looks like JSON.</param>
    public ReplayRowFiller(IReadOnlyList<string> columns, string dataset, string? contentType)
    {
        ArgumentNullException.ThrowIfNull(columns);
        _columnList = columns;
        for (var i = 0; i < columns.Count; i++)
        {
            _columns.TryAdd(columns[i], i);
        }

        _columnsBySpan = _columns.GetAlternateLookup<ReadOnlySpan<char>>();
        _dataset = dataset;
        _contentType = contentType;
        _anyRedactable = columns.Count > 0;
    }

    /// <summary>Writes <paramref name="path"/> from character <paramref name="from"/> on, filled; returns the bytes written.</summary>
    /// <exception cref="InputException">A hole names a column the dataset lacks (names <c>load.trace</c> and the line).</exception>
    public int WritePath(string path, int from, DataRowBuffer row, ref byte[] buffer, long line)
    {
        var text = path.AsSpan(from);
        var hasHoles = TemplateText.HasHoles(path);
        if (!hasHoles && !(_anyRedactable && text.Contains(RedactedValue, StringComparison.Ordinal)))
        {
            return Append(text, ref buffer, 0);
        }

        var parts = Parse(_paths, path, from);
        var at = 0;
        var query = false;
        for (var i = 0; i < parts.Count; i++)
        {
            var part = parts[i];
            if (part.IsHole)
            {
                at = RequestWriter.WriteValue(row.Value(Column(part.Text, line)), ValueEncoding.Url, ref buffer, at);
            }
            else
            {
                at = WriteLiteral(part.Text, last: i == parts.Count - 1, ref query, row, ref buffer, at);
            }
        }

        return at;
    }

    /// <summary>Writes <paramref name="body"/> filled; returns the bytes written.</summary>
    /// <exception cref="InputException">A hole names a column the dataset lacks (names <c>load.trace</c> and the line).</exception>
    public int WriteBody(string body, DataRowBuffer row, ref byte[] buffer, long line)
    {
        if (!TemplateText.HasHoles(body))
        {
            return Append(body, ref buffer, 0);
        }

        var parts = Parse(_bodies, body, 0);
        var json = RequestCatalog.IsJson(_contentType, body);
        var at = 0;
        foreach (var (part, inString) in RequestCatalog.JsonContext(parts, json))
        {
            at = part.IsHole
                ? RequestWriter.WriteValue(row.Value(Column(part.Text, line)), !json ? ValueEncoding.Raw : inString ? ValueEncoding.JsonString : ValueEncoding.JsonValue, ref buffer, at)
                : Append(part.Text, ref buffer, at);
        }

        return at;
    }

    /// <summary>
    /// A literal piece of the path: copied, except query values that read exactly REDACTED under a parameter named like a
    /// column. A parameter counts only when it lies whole in this piece (a hole next to it makes its value not exactly REDACTED).
    /// </summary>
    private int WriteLiteral(string text, bool last, ref bool query, DataRowBuffer row, ref byte[] buffer, int at)
    {
        var written = 0;
        var paramStart = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var end = i == text.Length;
            var c = end ? '\0' : text[i];
            if (!query)
            {
                if (c == '?')
                {
                    query = true;
                    paramStart = i + 1;
                }

                continue;
            }

            if (!end && c != '&')
            {
                continue;
            }

            // A parameter ends here: [paramStart, i) when it started in this piece (and, at the piece's end, the path ends too).
            if (paramStart >= 0 && (!end || last))
            {
                var parameter = text.AsSpan(paramStart, i - paramStart);
                var eq = parameter.IndexOf('=');
                if (eq > 0 && parameter[(eq + 1)..].SequenceEqual(ReplayData.Redacted)
                    && TryColumn(parameter[..eq], out var column))
                {
                    var valueStart = paramStart + eq + 1;
                    at = Append(text.AsSpan(written, valueStart - written), ref buffer, at);
                    at = RequestWriter.WriteValue(row.Value(column), ValueEncoding.Url, ref buffer, at);
                    written = i;
                }
            }

            paramStart = i + 1;
        }

        return Append(text.AsSpan(written), ref buffer, at);
    }

    /// <summary>The column a query parameter's name (percent-encoded as recorded, '+' for a space) names.</summary>
    private bool TryColumn(ReadOnlySpan<char> name, out int column)
    {
        if (name.IndexOfAny('%', '+') < 0)
        {
            return _columnsBySpan.TryGetValue(name, out column);
        }

        return _columns.TryGetValue(Uri.UnescapeDataString(name.ToString().Replace('+', ' ')), out column);
    }

    /// <summary>The text from <paramref name="from"/> split into literals and holes, kept for the next line with the same text.</summary>
    private static IReadOnlyList<TemplatePart> Parse(Dictionary<string, IReadOnlyList<TemplatePart>> cache, string text, int from)
    {
        // Keyed by the whole text (no substring to look it up); a trace with more distinct templates starts the cache over.
        if (cache.TryGetValue(text, out var parts))
        {
            return parts;
        }

        var rest = from == 0 ? text : text[from..];
        parts = TemplateText.HasHoles(rest) ? TemplateText.Parse(rest) : [new TemplatePart(rest, IsHole: false)];
        if (cache.Count >= MaxCachedTemplates)
        {
            cache.Clear();
        }

        cache[text] = parts;
        return parts;
    }

    private int Column(string name, long line) =>
        _columns.TryGetValue(name, out var column)
            ? column
            : throw new InputException(TraceReader.Field, $"line {line}: ${{data.{name}}} is not a column of {_dataset} (columns: {string.Join(", ", _columnList)}).");

    private static int Append(ReadOnlySpan<char> text, ref byte[] buffer, int at)
    {
        var max = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (buffer.Length < at + max)
        {
            Array.Resize(ref buffer, Math.Max(at + max, buffer.Length * 2));
        }

        return at + Encoding.UTF8.GetBytes(text, buffer.AsSpan(at));
    }
}
