using MathNet.Numerics.Distributions;

namespace Yardstick.Core.Statistics;

/// <summary>
/// Wilson score interval for a binomial proportion (Wilson 1927; method 3 of Newcombe 1998a). Unlike the Wald interval
/// it stays inside [0, 1] and behaves at 0 successes, which is the usual case for error rates.
/// </summary>
public static class WilsonScoreInterval
{
    /// <summary>Interval for <paramref name="successes"/> out of <paramref name="trials"/> at a two-sided confidence level.</summary>
    /// <remarks>Counts may be fractional: effective counts (divided by a design effect) are how clustered data enter.</remarks>
    public static IntervalEstimate Compute(double successes, double trials, double confidenceLevel)
    {
        ValidateLevel(confidenceLevel);
        var z = Normal.InvCDF(0, 1, 1 - ((1 - confidenceLevel) / 2));
        var (lower, upper) = Bounds(successes, trials, z);
        return new IntervalEstimate(successes / trials, lower, upper, confidenceLevel);
    }

    /// <summary>Bounds for a given standard-normal quantile <paramref name="z"/> (each bound one-sided at 1 - Φ(z)).</summary>
    public static (double Lower, double Upper) Bounds(double successes, double trials, double z)
    {
        if (trials <= 0 || double.IsNaN(trials))
        {
            throw new ArgumentOutOfRangeException(nameof(trials), trials, "The number of trials must be positive.");
        }

        if (successes < 0 || successes > trials)
        {
            throw new ArgumentOutOfRangeException(nameof(successes), successes, "Successes must lie in [0, trials].");
        }

        var p = successes / trials;
        var z2 = z * z;
        var denominator = 1 + (z2 / trials);
        var centre = (p + (z2 / (2 * trials))) / denominator;
        var half = z * Math.Sqrt((p * (1 - p) / trials) + (z2 / (4 * trials * trials))) / denominator;

        // Clamp rounding noise: at p = 0 the lower bound is exactly 0 in exact arithmetic.
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    internal static void ValidateLevel(double confidenceLevel)
    {
        if (!(confidenceLevel > 0 && confidenceLevel < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(confidenceLevel), confidenceLevel, "The confidence level must lie in (0, 1).");
        }
    }
}
