using HdrHistogram;

namespace Yardstick.Reports;

/// <summary>
/// Latency distributions for reports: the key percentiles plus HdrHistogram's percentile iteration (denser towards
/// 100 %), so a plot on a "nines" axis shows the tail as well as the body.
/// </summary>
public static class PercentileCurve
{
    /// <summary>The percentiles every curve contains (0 is the minimum, 100 the maximum).</summary>
    public static IReadOnlyList<double> KeyPercentiles { get; } = [0, 50, 75, 90, 95, 99, 99.5, 99.9, 99.99, 100];

    /// <summary>
    /// Key percentiles and the histogram's percentile iteration (<paramref name="ticksPerHalfDistance"/> steps per
    /// halving of the distance to 100 %), sorted by percentile, values in ms. The histogram holds microseconds.
    /// Empty for an empty histogram.
    /// </summary>
    public static IReadOnlyList<PercentilePoint> From(HistogramBase histogram, int ticksPerHalfDistance = 5)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        ArgumentOutOfRangeException.ThrowIfLessThan(ticksPerHalfDistance, 1);
        if (histogram.TotalCount == 0)
        {
            return [];
        }

        var byPercentile = new SortedDictionary<double, double>();
        foreach (var step in histogram.Percentiles(ticksPerHalfDistance))
        {
            byPercentile[step.PercentileLevelIteratedTo] = step.ValueIteratedTo / 1000.0;
        }

        // Key points last: at equal percentiles they win, so they match the summary's p50/p99/max exactly.
        foreach (var point in Key(histogram))
        {
            byPercentile[point.Percentile] = point.ValueMs;
        }

        // GetValueAtPercentile rounds the rank to the nearest count, the iteration does not: just below a key percentile
        // an iteration point can sit one value higher than the key. Taking the running minimum from the top lowers only
        // such points (keys never exceed anything after them), so the curve is monotone and still passes through the keys.
        var points = byPercentile.Select(p => new PercentilePoint(p.Key, p.Value)).ToList();
        for (var i = points.Count - 2; i >= 0; i--)
        {
            if (points[i].ValueMs > points[i + 1].ValueMs)
            {
                points[i] = points[i] with { ValueMs = points[i + 1].ValueMs };
            }
        }

        return points;
    }

    /// <summary>Only the <see cref="KeyPercentiles"/>, values in ms; empty for an empty histogram.</summary>
    public static IReadOnlyList<PercentilePoint> Key(HistogramBase histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        if (histogram.TotalCount == 0)
        {
            return [];
        }

        return KeyPercentiles
            .Select(p => new PercentilePoint(p, (p >= 100 ? histogram.GetMaxValue() : histogram.GetValueAtPercentile(p)) / 1000.0))
            .ToList();
    }

    /// <summary>
    /// The "nines" of a percentile: −log10(1 − p/100), so 0 → 0, 90 → 1, 99 → 2, 99.9 → 3. 100 % is +∞.
    /// </summary>
    public static double Nines(double percentile) =>
        percentile >= 100 ? double.PositiveInfinity : -Math.Log10(1 - (Math.Max(percentile, 0) / 100));

    /// <summary>
    /// The value at <paramref name="percentile"/> read off a curve as HdrHistogram does (the first point at or above
    /// it); null for an empty curve.
    /// </summary>
    public static double? ValueAt(IReadOnlyList<PercentilePoint> curve, double percentile)
    {
        ArgumentNullException.ThrowIfNull(curve);
        if (curve.Count == 0)
        {
            return null;
        }

        foreach (var point in curve)
        {
            if (point.Percentile >= percentile)
            {
                return point.ValueMs;
            }
        }

        return curve[^1].ValueMs;
    }
}
