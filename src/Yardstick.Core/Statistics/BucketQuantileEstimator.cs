using System.Runtime.CompilerServices;
namespace Yardstick.Core.Statistics;

/// <summary>
/// Quantiles of a distribution given as (value, count) buckets, such as an HdrHistogram: the inverse empirical CDF
/// (Hyndman–Fan type 1, R's <c>quantile(type = 1)</c> on the expanded data), which is what histogram percentiles report.
/// </summary>
public static class BucketQuantileEstimator
{
    /// <summary>The smallest value whose cumulative count reaches p·N. Buckets may come unsorted and repeat values.</summary>
    public static double Quantile(IEnumerable<(double Value, double Count)> buckets, double probability)
    {
        var sorted = buckets.Where(b => b.Count > 0).OrderBy(b => b.Value).ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var values = sorted.Select(b => b.Value).ToArray();
        var counts = sorted.Select(b => b.Count).ToArray();
        Span<double> result = stackalloc double[1];
        QuantilesSorted(values, counts, [probability], result);
        return result[0];
    }

    /// <summary>
    /// Several quantiles in one pass over buckets sorted by value. <paramref name="probabilities"/> must be ascending.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void QuantilesSorted(ReadOnlySpan<double> values, ReadOnlySpan<double> counts, ReadOnlySpan<double> probabilities, Span<double> result)
    {
        var total = 0.0;
        foreach (var c in counts)
        {
            total += c;
        }

        if (total <= 0)
        {
            result[..probabilities.Length].Fill(double.NaN);
            return;
        }

        var next = 0;
        var cumulative = 0.0;
        for (var i = 0; i < values.Length && next < probabilities.Length; i++)
        {
            if (counts[i] <= 0)
            {
                continue;
            }

            cumulative += counts[i];

            // Relative tolerance: p·N computed in floating point must not skip a bucket it exactly reaches.
            while (next < probabilities.Length && cumulative >= (probabilities[next] * total) - (1e-9 * total))
            {
                result[next++] = values[i];
            }
        }

        while (next < probabilities.Length)
        {
            result[next++] = LastPositive(values, counts);
        }
    }

    private static double LastPositive(ReadOnlySpan<double> values, ReadOnlySpan<double> counts)
    {
        for (var i = values.Length - 1; i >= 0; i--)
        {
            if (counts[i] > 0)
            {
                return values[i];
            }
        }

        return double.NaN;
    }
}
