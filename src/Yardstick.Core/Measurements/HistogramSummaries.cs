using HdrHistogram;
using Yardstick.Core.Summaries;

namespace Yardstick.Core.Measurements;

/// <summary>Turns microsecond histograms into the millisecond summaries of reports.</summary>
public static class HistogramSummaries
{
    /// <summary>p50/p90/p95/p99/max/mean in ms; all zero for an empty histogram.</summary>
    public static LatencySummary Latency(HistogramBase histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        if (histogram.TotalCount == 0)
        {
            return new LatencySummary();
        }

        return new LatencySummary
        {
            P50 = Ms(histogram.GetValueAtPercentile(50)),
            P90 = Ms(histogram.GetValueAtPercentile(90)),
            P95 = Ms(histogram.GetValueAtPercentile(95)),
            P99 = Ms(histogram.GetValueAtPercentile(99)),
            Max = Ms(histogram.GetMaxValue()),
            Mean = histogram.GetMean() / 1000.0,
        };
    }

    /// <summary>p50/p99/max in ms; all zero for an empty histogram.</summary>
    public static LagSummary Lag(HistogramBase histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        if (histogram.TotalCount == 0)
        {
            return new LagSummary();
        }

        return new LagSummary
        {
            P50 = Ms(histogram.GetValueAtPercentile(50)),
            P99 = Ms(histogram.GetValueAtPercentile(99)),
            Max = Ms(histogram.GetMaxValue()),
        };
    }

    /// <summary>Value at <paramref name="percentile"/> (0–100) in ms, 0 for an empty histogram.</summary>
    public static double PercentileMs(HistogramBase histogram, double percentile) =>
        histogram.TotalCount == 0 ? 0 : Ms(histogram.GetValueAtPercentile(percentile));

    private static double Ms(long micros) => micros / 1000.0;
}
