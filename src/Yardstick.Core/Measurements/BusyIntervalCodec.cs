using System.Buffers;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Yardstick.Core.Measurements;

/// <summary>
/// The stored form of an instance's busy intervals: exact, and about ten times smaller than a JSON array.
/// </summary>
/// <remarks>
/// <para>
/// A long run against a target that names its instance keeps one interval per request while the instance goes idle
/// between requests (Flex bills each active window, so the intervals cannot be coarsened without changing the bill):
/// a 1-hour, 16-shard run at 100 req/s per shard stored 5.8 M intervals as ~65 bytes of JSON each (373 MB), and
/// persisting it peaked at 1.2 GB. Stored here as text <c>"v1:" + base64(zlib(varints))</c>: the interval count, then
/// per interval the gap from the previous interval's end and the interval's length, each a zig-zag LEB128 varint
/// (unchecked arithmetic, so any list — unsorted or overlapping, at any time — round-trips exactly). Gaps and lengths
/// of a few milliseconds take 2–3 bytes each (about 5 bytes, 7 base64 characters, per interval).
/// </para>
/// <para>
/// Reading also accepts the older array form (<c>[{"startUnixMicros":…,"endUnixMicros":…}]</c>), so results stored
/// before this encoding still load.
/// </para>
/// </remarks>
public static class BusyIntervalCodec
{
    private const string Prefix = "v1:";

    /// <summary>Encodes the intervals as <c>v1:</c> + base64 text (empty list: <c>"v1:"</c>).</summary>
    public static string Encode(IReadOnlyList<BusyInterval> intervals)
    {
        ArgumentNullException.ThrowIfNull(intervals);
        var raw = new ArrayBufferWriter<byte>(16 + (intervals.Count * 6));
        WriteVarint(raw, (ulong)intervals.Count);
        var previousEnd = 0L;
        foreach (var interval in intervals)
        {
            WriteVarint(raw, ZigZag(unchecked(interval.StartUnixMicros - previousEnd)));
            WriteVarint(raw, ZigZag(unchecked(interval.EndUnixMicros - interval.StartUnixMicros)));
            previousEnd = interval.EndUnixMicros;
        }

        using var output = new MemoryStream(raw.WrittenCount / 2 + 64);
        using (var zlib = new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            zlib.Write(raw.WrittenSpan);
        }

        return Prefix + Convert.ToBase64String(output.GetBuffer(), 0, (int)output.Length);
    }

    /// <summary>Decodes text written by <see cref="Encode"/>.</summary>
    /// <exception cref="FormatException">The text is not encoded busy intervals.</exception>
    public static BusyInterval[] Decode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new FormatException($"busy intervals must start with '{Prefix}'.");
        }

        try
        {
            using var input = new MemoryStream(Convert.FromBase64String(text[Prefix.Length..]));
            using var zlib = new ZLibStream(input, CompressionMode.Decompress);
            using var raw = new MemoryStream();
            zlib.CopyTo(raw);
            var bytes = raw.GetBuffer().AsSpan(0, (int)raw.Length);
            var position = 0;
            var count = ReadVarint(bytes, ref position);

            // Each interval takes at least two bytes: a count beyond that is damage, not a reason to allocate.
            if (count > (ulong)(bytes.Length / 2))
            {
                throw new FormatException($"busy intervals claim {count} intervals in {bytes.Length} bytes.");
            }

            var intervals = new BusyInterval[count];
            var previousEnd = 0L;
            for (var i = 0; i < intervals.Length; i++)
            {
                var start = unchecked(previousEnd + UnZigZag(ReadVarint(bytes, ref position)));
                var end = unchecked(start + UnZigZag(ReadVarint(bytes, ref position)));
                intervals[i] = new BusyInterval(start, end);
                previousEnd = end;
            }

            if (position != bytes.Length)
            {
                throw new FormatException($"busy intervals have {bytes.Length - position} byte(s) after the last interval.");
            }

            return intervals;
        }
        catch (InvalidDataException e)
        {
            throw new FormatException("busy intervals are not zlib data: " + e.Message, e);
        }
    }

    private static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    private static long UnZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);

    private static void WriteVarint(ArrayBufferWriter<byte> output, ulong value)
    {
        var span = output.GetSpan(10);
        var n = 0;
        while (value >= 0x80)
        {
            span[n++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[n++] = (byte)value;
        output.Advance(n);
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> bytes, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (position >= bytes.Length)
            {
                throw new FormatException("busy intervals end inside a number.");
            }

            var b = bytes[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new FormatException("busy intervals hold a number longer than 64 bits.");
    }
}

/// <summary>
/// Writes <see cref="InstanceUsage.Busy"/> with <see cref="BusyIntervalCodec"/>; reads that text or the older JSON array.
/// </summary>
public sealed class BusyIntervalsJsonConverter : JsonConverter<IReadOnlyList<BusyInterval>>
{
    public override IReadOnlyList<BusyInterval> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                try
                {
                    return BusyIntervalCodec.Decode(reader.GetString()!);
                }
                catch (FormatException e)
                {
                    throw new JsonException(e.Message, e);
                }

            case JsonTokenType.StartArray:
                return JsonSerializer.Deserialize<BusyInterval[]>(ref reader, options) ?? [];
            case JsonTokenType.Null:
                return [];
            default:
                throw new JsonException($"busy intervals must be encoded text or an array (found {reader.TokenType}).");
        }
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<BusyInterval> value, JsonSerializerOptions options) =>
        writer.WriteStringValue(BusyIntervalCodec.Encode(value));
}
