using MathNet.Numerics.Distributions;

namespace Yardstick.Core.Statistics;

/// <summary>
/// Newcombe's hybrid score interval for the difference of two independent proportions p1 - p2
/// (Newcombe 1998b, method 10): it combines the two Wilson intervals, so it keeps good coverage at 0 events.
/// </summary>
public static class NewcombeDifferenceInterval
{
    /// <summary>Interval for p1 - p2 with p1 = <paramref name="successes1"/>/<paramref name="trials1"/>.</summary>
    public static IntervalEstimate Compute(double successes1, double trials1, double successes2, double trials2, double confidenceLevel)
    {
        WilsonScoreInterval.ValidateLevel(confidenceLevel);
        var z = Normal.InvCDF(0, 1, 1 - ((1 - confidenceLevel) / 2));
        var (lower, upper) = Bounds(successes1, trials1, successes2, trials2, z);
        return new IntervalEstimate((successes1 / trials1) - (successes2 / trials2), lower, upper, confidenceLevel);
    }

    /// <summary>Bounds for a given standard-normal quantile <paramref name="z"/> (each bound one-sided at 1 - Φ(z)).</summary>
    public static (double Lower, double Upper) Bounds(double successes1, double trials1, double successes2, double trials2, double z)
    {
        var p1 = successes1 / trials1;
        var p2 = successes2 / trials2;
        var (l1, u1) = WilsonScoreInterval.Bounds(successes1, trials1, z);
        var (l2, u2) = WilsonScoreInterval.Bounds(successes2, trials2, z);
        var d = p1 - p2;
        var lower = d - Math.Sqrt(((p1 - l1) * (p1 - l1)) + ((u2 - p2) * (u2 - p2)));
        var upper = d + Math.Sqrt(((u1 - p1) * (u1 - p1)) + ((p2 - l2) * (p2 - l2)));
        return (lower, upper);
    }

    /// <summary>
    /// One-sided p-value for H0: p1 - p2 ≤ 0 against p1 - p2 &gt; 0, by inverting the interval: the smallest one-sided
    /// level at which the lower bound excludes 0. Consistent with <see cref="Bounds"/> by construction.
    /// </summary>
    public static double PValueGreater(double successes1, double trials1, double successes2, double trials2) =>
        IntervalInversion.PValue(z => Bounds(successes1, trials1, successes2, trials2, z).Lower);

    /// <summary>One-sided p-value for H0: p1 - p2 ≥ 0 against p1 - p2 &lt; 0 (see <see cref="PValueGreater"/>).</summary>
    public static double PValueLess(double successes1, double trials1, double successes2, double trials2) =>
        IntervalInversion.PValue(z => -Bounds(successes1, trials1, successes2, trials2, z).Upper);
}
