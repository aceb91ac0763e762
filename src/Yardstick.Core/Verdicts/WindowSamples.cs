using HdrHistogram;
using Yardstick.Core.Measurements;

namespace Yardstick.Core.Verdicts;

/// <summary>
/// Turns stored per-second timeline windows (<see cref="TimelineWindow"/>, each with its encoded µs histogram) into the
/// <see cref="WindowSample"/>s the verdict engine resamples.
/// </summary>
public static class WindowSamples
{
    /// <summary>One sample per window, in time order. Windows without a histogram keep their counts and carry no latencies.</summary>
    public static IReadOnlyList<WindowSample> From(IEnumerable<TimelineWindow> timeline)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        return timeline.OrderBy(w => w.UnixSecond).Select(From).ToList();
    }

    /// <summary>The window's counts and its latency distribution in milliseconds.</summary>
    /// <exception cref="FormatException">The window's histogram is not an encoded histogram.</exception>
    public static WindowSample From(TimelineWindow window)
    {
        ArgumentNullException.ThrowIfNull(window);
        var buckets = window.Histogram is { Base64.Length: > 0 } encoded ? Buckets(HistogramCodec.Decode(encoded)) : [];
        return new WindowSample(window.Requests, window.Errors, buckets);
    }

    /// <summary>
    /// The histogram's non-empty buckets as (ms, count), ascending. A bucket's value is its highest equivalent value, the
    /// value <c>GetValueAtPercentile</c> reports, so quantiles from the buckets match the run summary's.
    /// </summary>
    public static IReadOnlyList<LatencyBucket> Buckets(HistogramBase histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        var buckets = new List<LatencyBucket>();
        if (histogram.TotalCount == 0)
        {
            return buckets;
        }

        foreach (var value in histogram.RecordedValues())
        {
            if (value.CountAtValueIteratedTo > 0)
            {
                buckets.Add(new LatencyBucket(value.ValueIteratedTo / 1000.0, value.CountAtValueIteratedTo));
            }
        }

        return buckets;
    }
}
