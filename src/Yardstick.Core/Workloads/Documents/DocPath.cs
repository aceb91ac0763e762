using System.Globalization;
using System.Text;

namespace Yardstick.Core.Workloads.Documents;

/// <summary>
/// A path into a workload document, written the way errors and <c>--set</c> show it:
/// <c>load.stages[2].target</c>, <c>target.headers.x-functions-key</c>, <c>tags["build.id"]</c>.
/// </summary>
internal sealed class DocPath : IEquatable<DocPath>
{
    private readonly object[] _segments;

    private DocPath(object[] segments) => _segments = segments;

    public static DocPath Root { get; } = new([]);

    /// <summary>Each segment is a <see cref="string"/> (mapping key) or an <see cref="int"/> (list index).</summary>
    public IReadOnlyList<object> Segments => _segments;

    public bool IsRoot => _segments.Length == 0;

    public DocPath Key(string key) => new([.. _segments, key]);

    public DocPath Index(int index) => new([.. _segments, index]);

    public DocPath? Parent => IsRoot ? null : new DocPath(_segments[..^1]);

    /// <summary>True when <paramref name="other"/> is this path or lies under it.</summary>
    public bool Contains(DocPath other) =>
        other._segments.Length >= _segments.Length && _segments.AsSpan().SequenceEqual(other._segments.AsSpan(0, _segments.Length));

    /// <summary>True when one path lies on the other's branch (equal, ancestor or descendant).</summary>
    public bool IsRelatedTo(DocPath other) => Contains(other) || other.Contains(this);

    /// <summary>Parses <c>a.b[2].c</c> or <c>a["x.y"]</c>; null with <paramref name="error"/> on bad syntax.</summary>
    public static DocPath? TryParse(string text, out string? error)
    {
        error = null;
        var segments = new List<object>();
        var i = 0;
        var expectKey = true;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '[')
            {
                var close = text.IndexOf(']', i);
                if (close < 0)
                {
                    error = $"missing ']' after position {i + 1}";
                    return null;
                }

                var inner = text[(i + 1)..close];
                if (inner.Length >= 2 && inner[0] == '"' && inner[^1] == '"')
                {
                    segments.Add(inner[1..^1]);
                }
                else if (int.TryParse(inner, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    segments.Add(index);
                }
                else
                {
                    error = $"'[{inner}]' is neither a list index nor a quoted key";
                    return null;
                }

                i = close + 1;
                expectKey = false;
                continue;
            }

            if (c == '.')
            {
                if (segments.Count == 0 || expectKey)
                {
                    error = $"empty name before '.' at position {i + 1}";
                    return null;
                }

                i++;
                expectKey = true;
                continue;
            }

            if (!expectKey)
            {
                error = $"expected '.' or '[' at position {i + 1}";
                return null;
            }

            var start = i;
            while (i < text.Length && text[i] is not ('.' or '[' or ']'))
            {
                i++;
            }

            segments.Add(text[start..i].Trim());
            expectKey = false;
        }

        if (segments.Count == 0 || expectKey)
        {
            error = "the path is empty or ends with '.'";
            return null;
        }

        if (segments.Exists(s => s is string { Length: 0 }))
        {
            error = "empty name in the path";
            return null;
        }

        return new DocPath([.. segments]);
    }

    public override string ToString()
    {
        var sb = new StringBuilder();
        foreach (var segment in _segments)
        {
            if (segment is int index)
            {
                sb.Append('[').Append(index.ToString(CultureInfo.InvariantCulture)).Append(']');
            }
            else
            {
                var key = (string)segment;
                if (IsPlainKey(key))
                {
                    if (sb.Length > 0)
                    {
                        sb.Append('.');
                    }

                    sb.Append(key);
                }
                else
                {
                    sb.Append("[\"").Append(key).Append("\"]");
                }
            }
        }

        return sb.ToString();
    }

    public bool Equals(DocPath? other) => other is not null && _segments.AsSpan().SequenceEqual(other._segments);

    public override bool Equals(object? obj) => Equals(obj as DocPath);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var s in _segments)
        {
            hash.Add(s);
        }

        return hash.ToHashCode();
    }

    private static readonly System.Buffers.SearchValues<char> SpecialKeyChars = System.Buffers.SearchValues.Create(".[]\" =");

    private static bool IsPlainKey(string key) =>
        key.Length > 0 && !key.AsSpan().ContainsAny(SpecialKeyChars);
}
