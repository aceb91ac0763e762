using Yardstick.Core.Statistics;

namespace Yardstick.Core.Verdicts;

/// <summary>
/// Compares run-level values, the right unit of replication when runs are repeated (cloud noise lives between runs).
/// Ratio metrics: log values, Student's t (pooled variance; Welch's when both sides have ≥ 2 but different numbers of
/// runs), pooled with a calibrated noise prior when there is one; with many runs on both sides the rank method
/// (Hodges–Lehmann ratio, Mann–Whitney interval). Error rates: Newcombe on pooled counts, the counts divided by the
/// between-run dispersion (Pearson χ²/df, at least 1) so that requests are not treated as independent.
/// </summary>
internal static class RunLevelComparer
{
    public static MetricEvidence Compare(string metric, IReadOnlyList<RunMetrics> baseline, IReadOnlyList<RunMetrics> candidate, VerdictPolicy policy) =>
        metric == MetricKeys.ErrorRate
            ? CompareErrorRates(baseline, candidate)
            : CompareRatios(metric, baseline, candidate, policy);

    private static MetricEvidence CompareRatios(string metric, IReadOnlyList<RunMetrics> baseline, IReadOnlyList<RunMetrics> candidate, VerdictPolicy policy)
    {
        var x = LogValues(metric, baseline);
        var y = LogValues(metric, candidate);
        if (x.Count == 0 || y.Count == 0)
        {
            return MetricEvidence.Unavailable(metric, $"{metric} was not measured (as a positive value) on the {(x.Count == 0 ? "baseline" : "candidate")}");
        }

        var runs = RankComparison.HarmonicMean(x.Count, y.Count);
        var geoBaseline = Math.Exp(StudentDifference.Mean(x));
        var geoCandidate = Math.Exp(StudentDifference.Mean(y));
        var hasPrior = policy.Noise.TryGetValue(metric, out var prior);
        if (!hasPrior && x.Count >= policy.RankMethodMinimumRuns && y.Count >= policy.RankMethodMinimumRuns)
        {
            return MetricEvidence.From(new RankComparison(metric, Median(metric, baseline), Median(metric, candidate), x, y));
        }

        if (hasPrior)
        {
            var pooled = StudentDifference.Pooled(x, y, prior!.LogStandardDeviation * prior.LogStandardDeviation, prior.DegreesOfFreedom);
            return MetricEvidence.From(new StudentComparison(metric, geoBaseline, geoCandidate, "run-level-student-calibrated", runs, runLevel: true, pooled));
        }

        if (x.Count >= 2 && y.Count >= 2 && x.Count != y.Count)
        {
            return MetricEvidence.From(new StudentComparison(metric, geoBaseline, geoCandidate, "run-level-welch", runs, runLevel: true, StudentDifference.Welch(x, y)));
        }

        if (x.Count + y.Count - 2 < 1)
        {
            return MetricEvidence.Unavailable(metric, $"{metric} has one run per side and no calibration, so run-to-run noise is unknown", 2);
        }

        // Equal sizes (or one side a single run): the pooled t is robust to unequal variances at equal n.
        return MetricEvidence.From(new StudentComparison(metric, geoBaseline, geoCandidate, "run-level-student", runs, runLevel: true, StudentDifference.Pooled(x, y)));
    }

    private static MetricEvidence CompareErrorRates(IReadOnlyList<RunMetrics> baseline, IReadOnlyList<RunMetrics> candidate)
    {
        var b = baseline.Select(r => r.Counts()).OfType<(long Requests, long Errors)>().ToList();
        var c = candidate.Select(r => r.Counts()).OfType<(long Requests, long Errors)>().ToList();
        if (b.Count == 0 || c.Count == 0)
        {
            return MetricEvidence.Unavailable(MetricKeys.ErrorRate, $"request and error counts are missing on the {(b.Count == 0 ? "baseline" : "candidate")}");
        }

        var (deff, df) = DesignEffect.BetweenRuns(b, c);
        var runs = RankComparison.HarmonicMean(b.Count, c.Count);
        return MetricEvidence.From(new NewcombeComparison(
            "newcombe-runs", runs, runLevel: true,
            b.Sum(r => r.Errors), b.Sum(r => r.Requests), deff,
            c.Sum(r => r.Errors), c.Sum(r => r.Requests), deff,
            df == 0 ? double.PositiveInfinity : df));
    }

    private static List<double> LogValues(string metric, IReadOnlyList<RunMetrics> runs) =>
        runs.Select(r => r.Value(metric)).Where(v => v is > 0).Select(v => Math.Log(v!.Value)).ToList();

    private static double Median(string metric, IReadOnlyList<RunMetrics> runs)
    {
        var values = runs.Select(r => r.Value(metric)).Where(v => v is > 0).Select(v => v!.Value).Order().ToArray();
        var mid = values.Length / 2;
        return values.Length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }
}

/// <summary>Variance inflation of error counts over independent requests (Kish's design effect).</summary>
internal static class DesignEffect
{
    /// <summary>
    /// Pearson dispersion χ²/df of per-run error counts around each side's pooled rate, pooled over both sides; at least 1.
    /// Errors cluster in time (a bad instance, a throttling burst), so runs vary more than a binomial would. Returns the
    /// degrees of freedom of the estimate too (0 when nothing could be estimated).
    /// </summary>
    public static (double DesignEffect, int DegreesOfFreedom) BetweenRuns(IReadOnlyList<(long Requests, long Errors)> baseline, IReadOnlyList<(long Requests, long Errors)> candidate)
    {
        double chiSquare = 0;
        var df = 0;
        foreach (var side in new[] { baseline, candidate })
        {
            if (side.Count < 2)
            {
                continue;
            }

            var p = (double)side.Sum(r => r.Errors) / side.Sum(r => r.Requests);
            if (p <= 0 || p >= 1)
            {
                continue;
            }

            foreach (var (requests, errors) in side)
            {
                var expected = p * requests;
                chiSquare += (errors - expected) * (errors - expected) / (expected * (1 - p));
            }

            df += side.Count - 1;
        }

        return df == 0 ? (1, 0) : (Math.Max(1, chiSquare / df), df);
    }
}
