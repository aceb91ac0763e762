namespace Yardstick.Core.Cost;

/// <summary>One time window (usually one second, or one round) of a run: requests and the cost driver in it.</summary>
/// <param name="Requests">Requests that ended in the window.</param>
/// <param name="Driver">The time-based cost driver in the window (GB-s of active instance time, billed GB-s of executions…).</param>
public readonly record struct CostWindowSample(long Requests, double Driver);

/// <summary>
/// Linear cost of one window: <c>Driver × DriverUsd + Requests × PerRequestUsd + FixedUsdPerWindow</c>.
/// </summary>
public sealed record CostWindowPricing(double DriverUsd, double PerRequestUsd, double FixedUsdPerWindow)
{
    private static readonly HashSet<string> FixedMeters =
        [PricingMeters.AlwaysReadyBaseline, PricingMeters.VcpuDuration, PricingMeters.MemoryDuration];

    public double CostUsd(CostWindowSample window) =>
        window.Driver * DriverUsd + window.Requests * PerRequestUsd + FixedUsdPerWindow;

    /// <summary>
    /// Calibrates the window pricing to an estimate so that the windows add up to its total: execution-count
    /// meters become a per-request price, time-proportional fixed meters (always-ready baseline, Premium
    /// instances) are spread evenly over the windows, and execution-time meters are spread in proportion to
    /// each window's driver.
    /// </summary>
    public static CostWindowPricing FromEstimate(CostEstimate estimate, IReadOnlyList<CostWindowSample> windows)
    {
        ArgumentOutOfRangeException.ThrowIfZero(windows.Count);
        var requests = windows.Sum(w => w.Requests);
        var driver = windows.Sum(w => w.Driver);
        double perRequest = 0, fixedTotal = 0, driverTotal = 0;
        foreach (var item in estimate.LineItems)
        {
            if (PricingUnits.BaseUnitOf(item.Unit) == PricingUnits.Execution)
            {
                perRequest += item.Usd;
            }
            else if (FixedMeters.Contains(item.Meter))
            {
                fixedTotal += item.Usd;
            }
            else
            {
                driverTotal += item.Usd;
            }
        }

        // Without a driver signal, execution time follows requests.
        if (driver <= 0)
        {
            perRequest += driverTotal;
            driverTotal = 0;
        }

        return new CostWindowPricing(
            driver > 0 ? driverTotal / driver : 0,
            requests > 0 ? perRequest / requests : 0,
            fixedTotal / windows.Count);
    }
}

/// <summary>
/// Confidence interval for cost per request by a seeded moving-block bootstrap over consecutive time windows.
/// </summary>
/// <remarks>
/// Method: the statistic is the ratio estimator Σ cost ÷ Σ requests over the windows (cost per window from
/// <see cref="CostWindowPricing"/>). Requests within a run are not independent (instances warm up, scale out,
/// share busy time), so we resample contiguous blocks of windows rather than single requests or windows
/// (Künsch 1989 moving-block bootstrap): blocks of length L (default ⌈n^(1/3)⌉) start at uniformly drawn
/// positions and are concatenated to n windows; the interval is the percentile interval of the resampled
/// ratios (linear interpolation between order statistics). Resamples whose windows hold no request are
/// dropped. For repeated rounds pass one sample per round instead (block length 1): rounds are the unit of
/// replication then. The random source is <c>new Random(seed)</c>, so the interval is reproducible.
/// </remarks>
public static class CostPerRequestBootstrap
{
    public const int DefaultResamples = 2000;

    public static CostPerRequestInterval Estimate(
        IReadOnlyList<CostWindowSample> windows,
        CostWindowPricing pricing,
        int seed,
        double confidence = 0.95,
        int resamples = DefaultResamples,
        int? blockLength = null)
    {
        if (windows.Count == 0)
        {
            throw new ArgumentException("at least one window is needed", nameof(windows));
        }

        if (confidence is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "must be between 0 and 1");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(resamples, 100);
        var n = windows.Count;
        var block = Math.Clamp(blockLength ?? (int)Math.Ceiling(Math.Cbrt(n)), 1, n);
        var costs = windows.Select(pricing.CostUsd).ToArray();
        var requests = windows.Select(w => (double)w.Requests).ToArray();
        var totalRequests = requests.Sum();
        if (totalRequests <= 0)
        {
            throw new ArgumentException("the windows hold no request: cost per request is undefined", nameof(windows));
        }

        var point = costs.Sum() / totalRequests;
        var random = new Random(seed);
        var ratios = new List<double>(resamples);
        var starts = n - block + 1;
        for (var r = 0; r < resamples; r++)
        {
            double cost = 0, count = 0;
            var taken = 0;
            while (taken < n)
            {
                var start = random.Next(starts);
                for (var k = 0; k < block && taken < n; k++, taken++)
                {
                    cost += costs[start + k];
                    count += requests[start + k];
                }
            }

            if (count > 0)
            {
                ratios.Add(cost / count);
            }
        }

        ratios.Sort();
        var tail = (1 - confidence) / 2;
        return new CostPerRequestInterval
        {
            PointUsd = point,
            LowerUsd = Quantile(ratios, tail),
            UpperUsd = Quantile(ratios, 1 - tail),
            Confidence = confidence,
            Method = $"moving-block bootstrap over {n} windows (block {block}, {resamples} resamples, seed {seed}), percentile interval of Σcost/Σrequests",
        };
    }

    /// <summary>Quantile of sorted values, linear interpolation between order statistics (Hyndman–Fan type 7).</summary>
    internal static double Quantile(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 1)
        {
            return sorted[0];
        }

        var h = (sorted.Count - 1) * p;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + ((h - lo) * (sorted[hi] - sorted[lo]));
    }
}
