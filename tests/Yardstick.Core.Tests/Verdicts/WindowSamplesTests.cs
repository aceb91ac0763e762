using Yardstick.Core.Measurements;
using Yardstick.Core.Statistics;
using Yardstick.Core.Verdicts;

namespace Yardstick.Core.Tests.Verdicts;

/// <summary>Stored timeline windows → the verdict engine's samples.</summary>
public sealed class WindowSamplesTests
{
    [Fact]
    public void From_EncodedWindow_KeepsCountsAndEveryRecordedLatencyInMilliseconds()
    {
        var histogram = LatencyHistograms.CreateWindow();
        histogram.RecordValueWithCount(1_000, 3);   // 1 ms
        histogram.RecordValueWithCount(25_000, 5);  // 25 ms
        histogram.RecordValue(400_000);             // 400 ms
        var window = new TimelineWindow { UnixSecond = 100, Requests = 10, Errors = 1, Histogram = HistogramCodec.Encode(histogram) };

        var sample = WindowSamples.From(window);

        Assert.Equal(10, sample.Requests);
        Assert.Equal(1, sample.Errors);
        Assert.Equal(9, sample.Latency.Sum(b => b.Count));
        Assert.Equal([3L, 5L, 1L], sample.Latency.Select(b => b.Count));

        // Two significant digits: values are their bucket's highest equivalent value (HdrHistogram buckets 1 % wide here).
        Assert.Equal(1.0, sample.Latency[0].ValueMs, 0.01);
        Assert.Equal(25.0, sample.Latency[1].ValueMs, 25.0 * 0.01);
        Assert.Equal(400.0, sample.Latency[2].ValueMs, 400.0 * 0.01);
    }

    [Fact]
    public void Buckets_SeededLatencies_QuantilesMatchTheHistogramsOwn()
    {
        // Reference: HdrHistogram's GetValueAtPercentile on the same histogram (what the run summary reports); the buckets
        // must give the same value under its rank rule (exact: the buckets are the histogram's own).
        var random = new Random(42);
        var histogram = LatencyHistograms.Create();
        for (var i = 0; i < 5_000; i++)
        {
            histogram.RecordValue((long)(20_000 * Math.Exp(0.5 * Normal(random))));
        }

        var buckets = WindowSamples.Buckets(histogram);

        Assert.Equal(histogram.TotalCount, buckets.Sum(b => b.Count));
        Assert.True(buckets.Zip(buckets.Skip(1)).All(p => p.First.ValueMs < p.Second.ValueMs), "buckets ascend");
        foreach (var percentile in new[] { 50.0, 90.0, 95.0, 99.0 })
        {
            Assert.Equal(histogram.GetValueAtPercentile(percentile) / 1000.0, InverseCdf(buckets, percentile / 100), 9);
        }
    }

    [Fact]
    public void From_Timeline_SortsBySecondAndKeepsWindowsWithoutHistogram()
    {
        var timeline = new[]
        {
            new TimelineWindow { UnixSecond = 12, Requests = 4 },
            new TimelineWindow { UnixSecond = 10, Requests = 2, Histogram = EncodedHistogram.Empty },
            new TimelineWindow { UnixSecond = 11, Requests = 3, Histogram = Encoded(5_000) },
        };

        var samples = WindowSamples.From(timeline);

        Assert.Equal([2L, 3L, 4L], samples.Select(s => s.Requests));
        Assert.Empty(samples[0].Latency);
        Assert.Single(samples[1].Latency);
        Assert.Empty(samples[2].Latency);
    }

    [Fact]
    public void From_CorruptHistogram_FormatException()
    {
        var window = new TimelineWindow { UnixSecond = 1, Requests = 1, Histogram = new EncodedHistogram("bm90IGEgaGlzdG9ncmFt") };

        Assert.Throws<FormatException>(() => WindowSamples.From(window));
    }

    [Fact]
    public void Buckets_FeedTheEnginesQuantileEstimator_WithinOneBucketOfTheHistogram()
    {
        // The window path interpolates between buckets (BucketQuantileEstimator); it stays within the bucket width (0.1 %).
        var histogram = LatencyHistograms.Create();
        var random = new Random(7);
        for (var i = 0; i < 2_000; i++)
        {
            histogram.RecordValue((long)(8_000 * Math.Exp(0.3 * Normal(random))));
        }

        var buckets = WindowSamples.Buckets(histogram).Select(b => (b.ValueMs, (double)b.Count)).ToList();

        var p95 = histogram.GetValueAtPercentile(95) / 1000.0;
        Assert.Equal(p95, BucketQuantileEstimator.Quantile(buckets, 0.95), p95 * 0.002);
    }

    private static EncodedHistogram Encoded(long micros)
    {
        var histogram = LatencyHistograms.CreateWindow();
        histogram.RecordValue(micros);
        return HistogramCodec.Encode(histogram);
    }

    private static double InverseCdf(IReadOnlyList<LatencyBucket> buckets, double q)
    {
        // HdrHistogram's rank rule: the count at the percentile is rounded to the nearest whole request, at least one.
        var total = buckets.Sum(b => b.Count);
        var target = Math.Max(1, (long)((q * total) + 0.5));
        long seen = 0;
        foreach (var bucket in buckets)
        {
            seen += bucket.Count;
            if (seen >= target)
            {
                return bucket.ValueMs;
            }
        }

        return buckets[^1].ValueMs;
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
