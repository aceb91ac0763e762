using MathNet.Numerics.Distributions;

namespace Yardstick.Core.Statistics;

/// <summary>Turns a family of confidence bounds into a p-value: the level at which the bound just reaches zero.</summary>
internal static class IntervalInversion
{
    private const double MaxZ = 40;

    /// <summary>
    /// <paramref name="lowerBoundAtZ"/> gives a lower bound that decreases as the normal quantile z grows. The p-value is
    /// 1 - Φ(z*) where the bound crosses 0; 0.5 or more when the estimate itself (z = 0) is not above 0.
    /// </summary>
    public static double PValue(Func<double, double> lowerBoundAtZ)
    {
        if (lowerBoundAtZ(0) <= 0)
        {
            return 0.5;
        }

        if (lowerBoundAtZ(MaxZ) > 0)
        {
            return 0;
        }

        double lo = 0, hi = MaxZ;
        for (var i = 0; i < 100 && hi - lo > 1e-10; i++)
        {
            var mid = (lo + hi) / 2;
            if (lowerBoundAtZ(mid) > 0)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        return Normal.CDF(0, 1, -(lo + hi) / 2);
    }
}
