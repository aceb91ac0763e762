using System.Globalization;

namespace Yardstick.Core.Verdicts;

/// <summary>The smallest tail behind a gated quantile among the compared samples.</summary>
/// <param name="Samples">Requests beyond the quantile in that sample: requests × min(p, 1 - p), rounded down.</param>
/// <param name="Requests">The sample's requests (errors included).</param>
/// <param name="RunId">The run (or round) with the smallest tail.</param>
public sealed record TailSampleCount(long Samples, long Requests, string RunId);

/// <summary>
/// Effective sample size of a latency quantile: p99 of n requests rests on the n × 1 % requests beyond it, p50 on half of
/// them. A quantile gated with fewer tail samples than <see cref="VerdictPolicy.MinTailSamples"/> in any compared run (or
/// round) is inconclusive: its estimate is mostly the chance of which few requests were slowest. Why 100 (see
/// docs/design/ARCHITECTURE.md): the requests beyond the true p-quantile are binomial with mean k = n(1 - p) and sd ≈ √k,
/// so the sample quantile sits at a true quantile within p ± 1.96·√k / n; for k = 100 that is p99 ± 0.02 pp, which for a
/// log-normal with σ 0.5 (p99/p50 ≈ 3.2) moves p99 by −3.3 % … +4.1 % — inside the default 5 % margin; for k = 10 by
/// −8.9 % … +18.5 %, wider than any margin worth gating on.
/// </summary>
public static class TailSampleFloor
{
    /// <summary>The share of requests beyond a gated quantile, min(p, 1 - p); null for metrics that are no latency quantile.</summary>
    public static double? TailFraction(string metric) =>
        MetricKeys.LatencyProbability(metric) is { } p ? Math.Min(p, 1 - p) : null;

    /// <summary>Tail samples of <paramref name="requests"/> requests for a quantile with tail share <paramref name="fraction"/>.</summary>
    public static long Count(double requests, double fraction) => (long)Math.Floor((requests * fraction) + 1e-9);

    /// <summary>Requests a sample needs for <paramref name="floor"/> tail samples (10,000 for p99 and 100).</summary>
    public static long RequestsNeeded(int floor, double fraction) => (long)Math.Ceiling((floor / fraction) - 1e-6);

    /// <summary>The smallest tail among the samples of both sides, or null when the metric is no quantile or no sample has counts.</summary>
    public static TailSampleCount? Smallest(string metric, IEnumerable<RunMetrics> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (TailFraction(metric) is not { } fraction)
        {
            return null;
        }

        var request = MetricKeys.Split(metric).Request;
        TailSampleCount? smallest = null;
        foreach (var run in samples)
        {
            var sample = request is null ? run : run.ForRequest(request);
            if (sample.Counts() is { } counts)
            {
                var tail = Count(counts.Requests, fraction);
                if (smallest is null || tail < smallest.Samples)
                {
                    smallest = new TailSampleCount(tail, counts.Requests, sample.RunId);
                }
            }
        }

        return smallest;
    }

    /// <summary>Why <paramref name="metric"/> cannot be decided with <paramref name="smallest"/>, or null when the floor is met.</summary>
    public static string? Shortfall(string metric, TailSampleCount? smallest, VerdictPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (smallest is null || smallest.Samples >= policy.MinTailSamples || TailFraction(metric) is not { } fraction)
        {
            return null;
        }

        return $"{MetricKeys.Base(metric)} of run {smallest.RunId} rests on {N(smallest.Samples)} tail sample{(smallest.Samples == 1 ? "" : "s")} "
            + $"({N(smallest.Requests)} requests × {Percent(fraction)}); at least {N(policy.MinTailSamples)} are needed "
            + $"(≥ {N(RequestsNeeded(policy.MinTailSamples, fraction))} requests per run; compare.minTailSamples lowers the floor)";
    }

    /// <summary>The sentence a decided quantile's explanation ends with.</summary>
    public static string Statement(string metric, TailSampleCount smallest)
    {
        ArgumentNullException.ThrowIfNull(smallest);
        var fraction = TailFraction(metric) ?? 0;
        return $"{metric} rests on ≥ {N(smallest.Samples)} tail samples per run ({N(smallest.Requests)} requests × {Percent(fraction)} in the smallest).";
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Percent(double fraction) => (fraction * 100).ToString("0.##", CultureInfo.InvariantCulture) + " %";
}
