using HdrHistogram;
using Yardstick.Core.Measurements;
using Yardstick.Testing;

namespace Yardstick.Core.Tests.Measurements;

public sealed class HistogramCodecTests
{
    internal static void AssertSameCounts(HistogramBase expected, HistogramBase actual)
    {
        Assert.Equal(expected.TotalCount, actual.TotalCount);
        var e = expected.RecordedValues().Select(v => (v.ValueIteratedTo, v.CountAtValueIteratedTo)).ToList();
        var a = actual.RecordedValues().Select(v => (v.ValueIteratedTo, v.CountAtValueIteratedTo)).ToList();
        Assert.Equal(e, a);
        foreach (var p in new[] { 50.0, 90, 99, 99.9, 100 })
        {
            Assert.Equal(expected.GetValueAtPercentile(p), actual.GetValueAtPercentile(p));
        }
    }

    [Fact]
    public void Decode_OfEncode_RestoresEveryCount()
    {
        var original = TestHistograms.Random(1, 100_000);

        var decoded = HistogramCodec.Decode(HistogramCodec.Encode(original));

        AssertSameCounts(original, decoded);
        Assert.Equal(original.NumberOfSignificantValueDigits, decoded.NumberOfSignificantValueDigits);
        Assert.Equal(original.HighestTrackableValue, decoded.HighestTrackableValue);
        Assert.Equal(original.GetMaxValue(), decoded.GetMaxValue());
    }

    [Fact]
    public void Decode_OfEncode_WindowHistogramKeepsItsPrecision()
    {
        var window = LatencyHistograms.CreateWindow();
        window.RecordValue(1);
        window.RecordValueWithCount(12_345, 7);
        window.RecordValue(LatencyHistograms.HighestMicros);

        var decoded = HistogramCodec.Decode(HistogramCodec.Encode(window));

        Assert.Equal(2, decoded.NumberOfSignificantValueDigits);
        AssertSameCounts(window, decoded);
    }

    [Fact]
    public void Encode_IsCompressed()
    {
        var h = TestHistograms.Random(2, 10_000);

        var encoded = HistogramCodec.Encode(h);

        // A 3-digit 1 µs … 1 h histogram has ~23 k counters (~188 KB); the sparse, compressed form is a few KB.
        Assert.InRange(encoded.Base64.Length, 100, 16_000);
    }

    [Fact]
    public void Decode_Empty_GivesEmptyHistogram()
    {
        Assert.Equal(0, HistogramCodec.Decode(EncodedHistogram.Empty).TotalCount);
        Assert.Equal(0, HistogramCodec.Decode(HistogramCodec.Encode(LatencyHistograms.Create())).TotalCount);
    }

    [Fact]
    public void Decode_Garbage_ThrowsFormatException()
    {
        Assert.Throws<FormatException>(() => HistogramCodec.Decode(new EncodedHistogram("bm90IGEgaGlzdG9ncmFt")));
        Assert.Throws<FormatException>(() => HistogramCodec.Decode(new EncodedHistogram("***")));
    }
}
