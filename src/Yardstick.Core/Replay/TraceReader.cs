using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Yardstick.Core.Replay;

/// <summary>
/// One recorded request of a trace file (see the trace format in README → Production replay).
/// </summary>
/// <param name="T">When the request started (UTC).</param>
/// <param name="Method">The HTTP method (letters only; default <c>GET</c>).</param>
/// <param name="Path">Origin-form path and query: starts with <c>/</c>, never <c>//</c>, no scheme or host, ASCII only.</param>
/// <param name="Name">The endpoint's name; default <c>&lt;method&gt; &lt;path without query&gt;</c>.</param>
/// <param name="Status">What production answered (informational).</param>
/// <param name="DurationMs">How long production took (informational).</param>
/// <param name="Body">A request body to send, when the trace carries one.</param>
public sealed record TraceRecord(DateTimeOffset T, string Method, string Path, string Name, int? Status, double? DurationMs, string? Body);

/// <summary>
/// Reads a trace file (JSON Lines, one recorded request per line, in non-decreasing <c>t</c> order) one line at a time:
/// never more than one line in memory (lines longer than <see cref="MaxLineBytes"/> are refused), so a trace of any size
/// streams. Empty lines are skipped, a UTF-8 BOM is skipped, unknown fields are ignored. Every malformed line is an
/// <see cref="InputException"/> naming <see cref="Field"/> (<c>load.trace</c>) with <c>line N: …</c>.
/// </summary>
/// <remarks>
/// Safety: a path is origin-form only (it is sent to the workload's <c>target.url</c> host and nowhere else), so an
/// absolute URL, <c>//host</c>, a backslash, whitespace, control characters and a fragment are refused; non-ASCII
/// characters are percent-encoded (UTF-8), since a request line carries ASCII only.
/// </remarks>
public sealed class TraceReader : IDisposable
{
    /// <summary>The workload field trace errors name.</summary>
    public const string Field = "load.trace";

    /// <summary>Longest line accepted, in bytes (a line is held whole, so this bounds the reader's memory).</summary>
    public const int MaxLineBytes = 1 << 20;

    /// <summary>Longest path (and query) accepted, in characters after percent-encoding.</summary>
    public const int MaxPathLength = 8 * 1024;

    /// <summary>Longest method accepted.</summary>
    public const int MaxMethodLength = 16;

    /// <summary>Longest endpoint name accepted.</summary>
    public const int MaxNameLength = 256;

    private static readonly SearchValues<char> PathForbidden = SearchValues.Create("\\#");

    private readonly Stream _stream;
    private readonly string _field;
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private bool _eof;
    private bool _bomChecked;
    private DateTimeOffset? _previous;

    /// <param name="stream">The trace's bytes (owned: disposed with the reader).</param>
    /// <param name="field">The field errors name (default <c>load.trace</c>).</param>
    public TraceReader(Stream stream, string field = Field)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _field = field;
    }

    /// <summary>Opens a trace file.</summary>
    public static TraceReader Open(string path, string field = Field) =>
        new(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan), field);

    /// <summary>The 1-based number of the line last read (0 before the first).</summary>
    public long Line { get; private set; }

    /// <summary>Bytes consumed so far (the whole file once <see cref="TryRead"/> returned false).</summary>
    public long BytesRead { get; private set; }

    /// <summary>The <c>t</c> of the first record (offsets count from it); null before the first record.</summary>
    public DateTimeOffset? First { get; private set; }

    /// <summary>Reads the next record; false at the end of the trace.</summary>
    /// <exception cref="InputException">A malformed line (names <see cref="Field"/> and the line number).</exception>
    public bool TryRead(out TraceRecord record)
    {
        while (NextLine(out var line))
        {
            if (IsBlank(line))
            {
                continue;
            }

            record = Parse(line);
            if (_previous is { } previous && record.T < previous)
            {
                throw Error($"t {Format(record.T)} goes backwards (the line before has {Format(previous)}); a trace is in non-decreasing t order.");
            }

            _previous = record.T;
            First ??= record.T;
            return true;
        }

        record = null!;
        return false;
    }

    /// <summary>Every record, in order (streaming).</summary>
    public IEnumerable<TraceRecord> ReadAll()
    {
        while (TryRead(out var record))
        {
            yield return record;
        }
    }

    public void Dispose() => _stream.Dispose();

    private static string Format(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private InputException Error(string message) => new(_field, $"line {Line}: {message}");

    private static bool IsBlank(ReadOnlySpan<byte> line)
    {
        foreach (var b in line)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The next line's bytes (without its end of line), valid until the next call; false at the end.</summary>
    private bool NextLine(out ReadOnlySpan<byte> line)
    {
        var searched = 0;
        while (true)
        {
            var pending = _buffer.AsSpan(_start, _end - _start);
            var newline = pending[searched..].IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var length = searched + newline;
                line = Take(length, length + 1);
                return true;
            }

            searched = pending.Length;
            if (_eof)
            {
                if (pending.Length == 0)
                {
                    line = default;
                    return false;
                }

                line = Take(pending.Length, pending.Length);
                return true;
            }

            if (pending.Length > MaxLineBytes)
            {
                Line++;
                throw Error($"longer than {MaxLineBytes / 1024} KiB; a trace line is one recorded request.");
            }

            Fill();
        }
    }

    private ReadOnlySpan<byte> Take(int length, int consumed)
    {
        Line++;
        if (length > MaxLineBytes)
        {
            throw Error($"longer than {MaxLineBytes / 1024} KiB; a trace line is one recorded request.");
        }

        var line = _buffer.AsSpan(_start, length);
        if (!_bomChecked)
        {
            _bomChecked = true;
            if (line.StartsWith("\uFEFF"u8))
            {
                line = line[3..];
            }
        }

        if (line.EndsWith("\r"u8))
        {
            line = line[..^1];
        }

        _start += consumed;
        BytesRead += consumed;
        return line;
    }

    private void Fill()
    {
        if (_start > 0)
        {
            var pending = _end - _start;
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, pending);
            _start = 0;
            _end = pending;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, MaxLineBytes + 2));
        }

        var n = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (n == 0)
        {
            _eof = true;
        }

        _end += n;
    }

    private TraceRecord Parse(ReadOnlySpan<byte> line)
    {
        DateTimeOffset? t = null;
        string? method = null;
        string? path = null;
        string? name = null;
        int? status = null;
        double? durationMs = null;
        string? body = null;
        try
        {
            var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = 64 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw Error("each line must be a JSON object.");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                // ValueTextEquals compares the unescaped name, so "\u0074" is 't' too.
                var key = reader.ValueTextEquals("t"u8) ? Key.T
                    : reader.ValueTextEquals("method"u8) ? Key.Method
                    : reader.ValueTextEquals("path"u8) ? Key.Path
                    : reader.ValueTextEquals("name"u8) ? Key.Name
                    : reader.ValueTextEquals("body"u8) ? Key.Body
                    : reader.ValueTextEquals("status"u8) ? Key.Status
                    : reader.ValueTextEquals("durationMs"u8) ? Key.DurationMs
                    : Key.Unknown;
                reader.Read();
                switch (key)
                {
                    case Key.T:
                        t = ReadTime(ref reader);
                        break;
                    case Key.Method:
                        method = ReadString(ref reader, "method");
                        break;
                    case Key.Path:
                        path = ReadString(ref reader, "path");
                        break;
                    case Key.Name:
                        name = ReadString(ref reader, "name");
                        break;
                    case Key.Body:
                        body = ReadString(ref reader, "body");
                        break;
                    case Key.Status:
                        status = ReadStatus(ref reader);
                        break;
                    case Key.DurationMs:
                        durationMs = ReadDuration(ref reader);
                        break;
                    default:
                        // Unknown fields are ignored (forward compatible), whatever their shape.
                        reader.Skip();
                        break;
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                throw Error("text after the object; each line holds exactly one JSON object.");
            }
        }
        catch (JsonException e)
        {
            throw Error($"not valid JSON ({e.Message.Split('.')[0]}).");
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // Invalid UTF-8 inside a string value.
            throw Error("not valid UTF-8.");
        }

        if (t is null)
        {
            throw Error("'t' is missing; each line needs the ISO-8601 UTC time the request started, e.g. \"2026-12-01T10:00:00.000Z\".");
        }

        method = CheckMethod(method ?? "GET");
        path = CheckPath(path ?? throw Error("'path' is missing; each line needs the request's path and query, starting with '/'."));
        if (name is null)
        {
            var query = path.IndexOf('?', StringComparison.Ordinal);
            name = method + " " + (query < 0 ? path : path[..query]);
            if (name.Length > MaxNameLength)
            {
                name = name[..MaxNameLength];
            }
        }
        else
        {
            name = CheckName(name);
        }

        return new TraceRecord(t.Value, method, path, name, status, durationMs, body);
    }

    private DateTimeOffset ReadTime(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw Error("'t' must be a string: the ISO-8601 UTC time the request started, e.g. \"2026-12-01T10:00:00.000Z\".");
        }

        var text = reader.GetString()!;
        var zoned = text.EndsWith('Z') || text.EndsWith('z')
            || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');
        if (!zoned || !reader.TryGetDateTimeOffset(out var value))
        {
            throw Error($"'t' is '{Shown(text)}'; give an ISO-8601 UTC time with its zone, e.g. \"2026-12-01T10:00:00.000Z\".");
        }

        return value.ToUniversalTime();
    }

    private string ReadString(ref Utf8JsonReader reader, string key)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw Error($"'{key}' must be a string.");
        }

        return reader.GetString()!;
    }

    private int? ReadStatus(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var status) || status is < 0 or > 999)
        {
            throw Error("'status' must be an HTTP status code (an integer from 0 to 999).");
        }

        return status;
    }

    private double? ReadDuration(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var ms) || !double.IsFinite(ms) || ms < 0)
        {
            throw Error("'durationMs' must be a non-negative number of milliseconds.");
        }

        return ms;
    }

    private string CheckMethod(string method)
    {
        if (method.Length == 0 || method.Length > MaxMethodLength || !method.All(char.IsAsciiLetter))
        {
            throw Error($"'method' is '{Shown(method)}'; an HTTP method is 1 to {MaxMethodLength} letters (GET, POST…).");
        }

        return method;
    }

    private string CheckPath(string path)
    {
        if (!path.StartsWith('/') || path.StartsWith("//", StringComparison.Ordinal))
        {
            throw Error($"'path' is '{Shown(path)}'; give the origin-form path and query starting with one '/' (never a URL or //host: replay sends only to target.url's host).");
        }

        StringBuilder? encoded = null;
        for (var i = 0; i < path.Length; i++)
        {
            var c = path[i];
            if (c <= ' ' || c == '\u007F' || char.IsControl(c) || char.IsWhiteSpace(c))
            {
                throw Error($"'path' holds {(c == ' ' ? "a space" : $"the control or space character \\u{(int)c:x4}")}; percent-encode it (%20…).");
            }

            if (PathForbidden.Contains(c))
            {
                throw Error(c == '\\'
                    ? "'path' holds a backslash; give the origin-form path with '/' only."
                    : "'path' holds a fragment ('#'); a fragment is never sent in a request.");
            }

            if (c > '\u007F')
            {
                // A request line is ASCII: non-ASCII characters go as percent-encoded UTF-8.
                encoded ??= new StringBuilder(path, 0, i, path.Length + 16);
                var end = char.IsHighSurrogate(c) && i + 1 < path.Length ? i + 2 : i + 1;
                foreach (var b in Encoding.UTF8.GetBytes(path[i..end]))
                {
                    encoded.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
                }

                i = end - 1;
                continue;
            }

            encoded?.Append(c);
        }

        var result = encoded?.ToString() ?? path;
        if (result.Length > MaxPathLength)
        {
            throw Error($"'path' is {result.Length} characters long; at most {MaxPathLength}.");
        }

        return result;
    }

    private string CheckName(string name)
    {
        if (name.Length == 0 || name.Length > MaxNameLength || name.Any(char.IsControl))
        {
            throw Error($"'name' must be 1 to {MaxNameLength} characters without control characters.");
        }

        return name;
    }

    private enum Key
    {
        Unknown,
        T,
        Method,
        Path,
        Name,
        Body,
        Status,
        DurationMs,
    }

    private static string Shown(string text) => text.Length > 80 ? text[..80] + "…" : text;
}
