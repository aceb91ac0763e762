using System.IO.Compression;
using HdrHistogram;
using HdrHistogram.Encoding;
using HdrHistogram.Utilities;

namespace Yardstick.Core.Measurements;

/// <summary>
/// Encodes histograms with <see cref="HistogramEncoderV2"/> and compresses them with <see cref="ZLibStream"/>, as
/// base64. The library's own compressed decode is broken on .NET 6+ (it assumes <c>DeflateStream.Read</c> fills the
/// buffer in one call), so compression is done here around the library's uncompressed V2 format.
/// </summary>
public static class HistogramCodec
{
    public static EncodedHistogram Encode(HistogramBase histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        var buffer = ByteBuffer.Allocate(histogram.GetNeededByteBufferCapacity());
        var length = histogram.Encode(buffer, HistogramEncoderV2.Instance);
        buffer.Position = 0;
        var raw = new byte[length];
        for (var i = 0; i < length; i++)
        {
            raw[i] = buffer.Get();
        }

        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(raw);
        }

        return new EncodedHistogram(Convert.ToBase64String(output.GetBuffer(), 0, (int)output.Length));
    }

    /// <summary>
    /// Decodes a histogram. <see cref="EncodedHistogram.Empty"/> gives an empty latency histogram
    /// (<see cref="LatencyHistograms.Create"/>).
    /// </summary>
    /// <exception cref="FormatException">The text is not an encoded histogram.</exception>
    public static LongHistogram Decode(EncodedHistogram encoded)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        if (string.IsNullOrEmpty(encoded.Base64))
        {
            return LatencyHistograms.Create();
        }

        try
        {
            using var input = new MemoryStream(Convert.FromBase64String(encoded.Base64));
            using var zlib = new ZLibStream(input, CompressionMode.Decompress);
            using var raw = new MemoryStream();
            zlib.CopyTo(raw);
            var histogram = HistogramEncoding.DecodeFromByteBuffer(ByteBuffer.Allocate(raw.ToArray()), 0);
            return histogram as LongHistogram ?? Copy(histogram);
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException or NotSupportedException or IndexOutOfRangeException)
        {
            throw new FormatException("not an encoded histogram (HistogramEncoderV2 + zlib, base64): " + e.Message, e);
        }
    }

    private static LongHistogram Copy(HistogramBase source)
    {
        var copy = new LongHistogram(source.LowestTrackableValue, source.HighestTrackableValue, source.NumberOfSignificantValueDigits);
        copy.Add(source);
        return copy;
    }
}

/// <summary>The histogram shapes Yardstick records into. Values are microseconds.</summary>
public static class LatencyHistograms
{
    /// <summary>Highest trackable value: one hour in microseconds. Larger values are clamped to it.</summary>
    public const long HighestMicros = 3_600_000_000L;

    /// <summary>Run and shard histograms: 1 µs … 1 h at 3 significant digits.</summary>
    public static LongHistogram Create() => new(1, HighestMicros, 3);

    /// <summary>Per-second timeline windows: 2 significant digits keep them small; merges stay exact.</summary>
    public static LongHistogram CreateWindow() => new(1, HighestMicros, 2);

    /// <summary>Clamps a microsecond value into the trackable range (negative → 0, above one hour → one hour).</summary>
    public static long Clamp(long micros) => micros < 0 ? 0 : Math.Min(micros, HighestMicros);
}
