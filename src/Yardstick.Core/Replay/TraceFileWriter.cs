using System.Globalization;
using System.Text.Json;

namespace Yardstick.Core.Replay;

/// <summary>
/// Writes a trace file (JSON Lines, UTF-8, one request a line in non-decreasing <c>t</c>; README → Production replay)
/// as lines arrive, so an export of hours of traffic never holds the whole trace. Refuses a line whose time goes
/// backwards, which replay would refuse when reading it.
/// </summary>
public sealed class TraceFileWriter : IAsyncDisposable
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private readonly Utf8JsonWriter _json;
    private DateTimeOffset? _last;

    public TraceFileWriter(Stream stream, bool ownsStream = true)
    {
        _stream = stream;
        _ownsStream = ownsStream;
        _json = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    /// <summary>Lines written so far.</summary>
    public long Lines { get; private set; }

    /// <summary>
    /// Appends one line: <c>t</c> (UTC, 100 ns), <c>method</c>, <c>name</c> (when given), <c>path</c>, <c>status</c> and
    /// <c>durationMs</c> (when known, informational).
    /// </summary>
    public async ValueTask WriteAsync(DateTimeOffset time, string method, string? name, string path, int? status, double? durationMs, CancellationToken cancellationToken)
    {
        if (_last is { } last && time < last)
        {
            throw new InvalidOperationException($"trace line {Lines + 1} at {Format(time)} is before the previous line ({Format(last)}); a trace is written in time order.");
        }

        if (!path.StartsWith('/') || path.StartsWith("//", StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{path}' is not an origin-form path", nameof(path));
        }

        _json.Reset();
        _json.WriteStartObject();
        _json.WriteString("t", Format(time));
        _json.WriteString("method", method);
        if (!string.IsNullOrEmpty(name))
        {
            _json.WriteString("name", name);
        }

        _json.WriteString("path", path);
        if (status is { } code)
        {
            _json.WriteNumber("status", code);
        }

        if (durationMs is { } duration && double.IsFinite(duration))
        {
            _json.WriteNumber("durationMs", Math.Round(duration, 3));
        }

        _json.WriteEndObject();
        await _json.FlushAsync(cancellationToken);
        await _stream.WriteAsync(NewLine, cancellationToken);
        _last = time;
        Lines++;
    }

    /// <summary>A trace time: ISO 8601 UTC with seven fractional digits (<c>2026-12-01T10:00:00.1234567Z</c>).</summary>
    public static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        await _json.DisposeAsync();
        await _stream.FlushAsync();
        if (_ownsStream)
        {
            await _stream.DisposeAsync();
        }
    }
}
