namespace Yardstick.Core.Statistics;

/// <summary>
/// Picks a bootstrap block length from the series' lag-1 autocorrelation ρ: for an AR(1) process the variance-optimal
/// block length of Politis &amp; White (2004) reduces to (2ρ/(1-ρ²))^(2/3)·n^(1/3). Clamped to at least
/// <c>minimum</c> and to at most n/5 (keep at least five blocks) unless that is below the minimum.
/// </summary>
/// <remarks>
/// Per-window means carry sampling noise that hides the correlation of the underlying process (with 100 requests per
/// second and σ = 0.5, the noise of a window's mean log latency is as large as a 5 % per-second effect). When the
/// per-window noise variance is known the autocovariance is divided by the signal variance only ("denoised" ρ), so
/// the blocks span the real correlation. The minimum of five seconds errs on the long side: the block bootstrap
/// underestimates the variance of a correlated series by O(1/L), and for tests at small α that bias matters more than
/// the extra variance of fewer blocks (which the caller's degrees of freedom, blocks - 1, account for).
/// </remarks>
public static class BlockLengthSelector
{
    /// <summary>Default lower bound: five seconds of per-second windows.</summary>
    public const int DefaultMinimum = 5;

    /// <summary>Block length for <paramref name="series"/>, whose values carry independent noise of variance <paramref name="noiseVariance"/>.</summary>
    public static int FromAutocorrelation(IReadOnlyList<double> series, double noiseVariance = 0, int minimum = DefaultMinimum)
    {
        var n = series.Count;
        if (n < 3)
        {
            return Math.Max(1, Math.Min(minimum, n));
        }

        var rho = Math.Clamp(Lag1Autocorrelation(series, noiseVariance), 0, 0.95);
        var optimal = Math.Pow(2 * rho / (1 - (rho * rho)), 2.0 / 3.0) * Math.Pow(n, 1.0 / 3.0);
        var length = Math.Max((int)Math.Ceiling(optimal), minimum);
        var cap = Math.Max(n / 5, Math.Min(minimum, n));
        return Math.Min(length, cap);
    }

    /// <summary>
    /// Lag-1 autocorrelation (Box–Jenkins: autocovariances over n) of the signal under independent noise of variance
    /// <paramref name="noiseVariance"/>: γ₁ / (γ₀ - noise). 0 for a constant series or when the noise explains everything.
    /// </summary>
    public static double Lag1Autocorrelation(IReadOnlyList<double> series, double noiseVariance = 0)
    {
        var n = series.Count;
        if (n < 2)
        {
            return 0;
        }

        var mean = series.Average();
        double lag0 = 0, lag1 = 0;
        for (var i = 0; i < n; i++)
        {
            var d = series[i] - mean;
            lag0 += d * d;
            if (i + 1 < n)
            {
                lag1 += d * (series[i + 1] - mean);
            }
        }

        var signal = (lag0 / n) - noiseVariance;
        return signal <= 0 ? 0 : lag1 / n / signal;
    }
}
