using Yardstick.Core.Statistics;

namespace Yardstick.Core.Verdicts;

/// <summary>
/// Compares a candidate with its baseline, per gated metric and overall. Pure and deterministic (the bootstrap is seeded).
/// <list type="bullet">
/// <item>Unit of replication: with ≥ 3 runs on each side — or ≥ 3 on one side and ≥ 1 on the other, judged against
/// that side's run-to-run spread — run-level values are compared (<see cref="RunLevelComparer"/>); otherwise blocks of
/// per-second windows are resampled within the runs and an assumed or calibrated run-to-run term is added
/// (<see cref="WindowBlockComparer"/>). Individual requests are never treated as independent samples; error counts
/// are divided by a measured design effect and read against Student's t with its degrees of freedom.</item>
/// <item>Multiplicity: each metric's one-sided p-value in its observed direction is ordered by Holm's step-down over the
/// gated metrics; metric i is judged on a 1 - 2αᵢ interval, each bound a one-sided (1 - αᵢ) bound. The family-wise
/// rate of false regression claims is then at most α (and likewise for false improvement claims).</item>
/// <item>Effective sample size: a latency quantile that could otherwise be judged but has fewer than
/// <see cref="VerdictPolicy.MinTailSamples"/> requests beyond it in any compared run is inconclusive and takes no Holm step (<see cref="TailSampleFloor"/>); a decided one states its
/// tail count.</item>
/// <item>Decision: see <see cref="VerdictDecision"/>.</item>
/// </list>
/// </summary>
public static class VerdictEngine
{
    /// <summary>Compares <paramref name="candidate"/> runs with <paramref name="baseline"/> runs under <paramref name="policy"/>.</summary>
    /// <exception cref="InputException">The policy is invalid or there is no candidate run.</exception>
    public static RunVerdict Compare(IReadOnlyList<RunMetrics> baseline, IReadOnlyList<RunMetrics> candidate, VerdictPolicy policy)
    {
        policy.Validate();
        if (candidate.Count == 0)
        {
            throw new InputException("candidate", "There is no candidate run to compare.");
        }

        if (baseline.Count == 0)
        {
            return NoBaseline(candidate, policy);
        }

        var runLevel = Math.Max(baseline.Count, candidate.Count) >= 3;
        var runMetrics = policy.Metrics.Where(m => MetricKeys.Split(m).Request is null).ToList();
        var windows = runLevel || runMetrics.Count == 0 ? null : new WindowBlockComparer(baseline, candidate, policy with { Metrics = runMetrics });
        var tails = policy.Metrics.ToDictionary(m => m, m => TailSampleFloor.Smallest(m, baseline.Concat(candidate)), StringComparer.Ordinal);
        var evidence = policy.Metrics
            .Select(metric => MetricKeys.Split(metric) is ({ } request, var inner)
                ? CompareRequest(metric, request, inner, baseline, candidate, policy, runLevel)
                : runLevel ? RunLevelComparer.Compare(metric, baseline, candidate, policy) : windows!.Compare(metric))
            .Select(e => e.Estimate is not null && TailSampleFloor.Shortfall(e.Metric, tails[e.Metric], policy) is { } shortfall
                ? MetricEvidence.Unavailable(e.Metric, shortfall)
                : e)
            .ToList();

        var available = evidence.Where(e => e.Estimate is not null).ToList();
        var pValues = available.Select(e => e.Estimate!.PValue()).ToList();
        var steps = available.Count > 0 ? HolmCorrection.Steps(pValues, policy.Alpha) : [];
        var levels = new Dictionary<string, (double Level, double PValue)>(StringComparer.Ordinal);
        for (var i = 0; i < available.Count; i++)
        {
            levels[available[i].Metric] = (steps[i].Level, pValues[i]);
        }

        var verdicts = evidence
            .Select(e => e.Estimate is { } estimate
                ? WithTail(Judge(estimate, levels[e.Metric].Level, levels[e.Metric].PValue, policy), tails[e.Metric])
                : Unavailable(e, policy, available.Count) with { TailSamples = tails[e.Metric]?.Samples })
            .ToList();
        var overall = Overall(verdicts);
        return new RunVerdict(overall, verdicts, VerdictText.Run(overall, verdicts, policy));
    }

    /// <summary>
    /// A named request's metric (<c>checkout.p95</c>): the same comparison, on every run's sample of that request alone
    /// (its values and its own windows). It takes its Holm step with the run's other gated metrics.
    /// </summary>
    private static MetricEvidence CompareRequest(
        string metric, string request, string inner, IReadOnlyList<RunMetrics> baseline, IReadOnlyList<RunMetrics> candidate, VerdictPolicy policy, bool runLevel)
    {
        var b = baseline.Select(r => r.ForRequest(request)).ToList();
        var c = candidate.Select(r => r.ForRequest(request)).ToList();
        var noise = policy.Noise.TryGetValue(metric, out var prior) ? new Dictionary<string, NoisePrior> { [inner] = prior } : new Dictionary<string, NoisePrior>();
        var sub = policy with { Metrics = [inner], Noise = noise };
        var evidence = runLevel ? RunLevelComparer.Compare(inner, b, c, sub) : new WindowBlockComparer(b, c, sub).Compare(inner);
        evidence.Estimate?.Rename(metric);
        return evidence with { Metric = metric, Reason = evidence.Reason is { } reason ? $"{request}: {reason}" : null };
    }

    internal static MetricVerdict Judge(ComparisonEstimate estimate, double level, double pValue, VerdictPolicy policy)
    {
        var bounds = estimate.Bounds(level);
        var oriented = VerdictDecision.Orient(estimate, bounds, policy);
        var kind = VerdictDecision.Decide(oriented);
        var ratio = estimate.Scale == IntervalScale.Ratio ? Math.Exp(estimate.Estimate) : RateRatio(estimate.Baseline, estimate.Candidate);
        var (low, high) = estimate.Scale == IntervalScale.Ratio ? (Math.Exp(bounds.Lower), Math.Exp(bounds.Upper)) : bounds;
        var margin = estimate.Scale == IntervalScale.Ratio ? policy.Margin : VerdictDecision.ErrorRateMargin(estimate.Baseline, policy);
        var verdict = new MetricVerdict(
            estimate.Metric, kind, estimate.Baseline, estimate.Candidate, ratio, low, high, 1 - (2 * level), pValue, level,
            kind == VerdictKind.Inconclusive ? VerdictDecision.AdditionalRuns(oriented, estimate, policy) : null,
            estimate.Method, Explanation: "", estimate.Scale, margin);
        var explanation = VerdictText.Metric(verdict, oriented, policy);
        return verdict with { Explanation = estimate.Note is { } note ? $"{explanation} {note}" : explanation };
    }

    /// <summary>A decided quantile states the effective sample size it rests on.</summary>
    internal static MetricVerdict WithTail(MetricVerdict verdict, TailSampleCount? tail) =>
        tail is null ? verdict : verdict with { TailSamples = tail.Samples, Explanation = $"{verdict.Explanation} {TailSampleFloor.Statement(verdict.Metric, tail)}" };

    internal static MetricVerdict Unavailable(MetricEvidence evidence, VerdictPolicy policy, int tested)
    {
        // Not tested, so it takes no Holm step; report the level the first step would have used.
        var level = policy.Alpha / Math.Max(1, tested);
        return new MetricVerdict(
            evidence.Metric, VerdictKind.Inconclusive, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, 1 - (2 * level), null, level,
            evidence.AdditionalRunsNeeded, "none", VerdictText.Unavailable(evidence.Metric, evidence.Reason!, evidence.AdditionalRunsNeeded, policy),
            MetricKeys.Scale(evidence.Metric));
    }

    private static RunVerdict NoBaseline(IReadOnlyList<RunMetrics> candidate, VerdictPolicy policy)
    {
        var verdicts = policy.Metrics.Select(metric =>
        {
            var value = CandidateValue(metric, candidate);
            return new MetricVerdict(
                metric, VerdictKind.NoBaseline, double.NaN, value, double.NaN, double.NaN, double.NaN, double.NaN, null, policy.Alpha,
                null, "none", VerdictText.NoBaseline(metric, value), MetricKeys.Scale(metric), TailSamples: TailSampleFloor.Smallest(metric, candidate)?.Samples);
        }).ToList();
        return new RunVerdict(VerdictKind.NoBaseline, verdicts, VerdictText.Run(VerdictKind.NoBaseline, verdicts, policy));
    }

    /// <summary>Geometric mean of the runs' values (pooled rate for errors), NaN when not measured.</summary>
    private static double CandidateValue(string metric, IReadOnlyList<RunMetrics> runs)
    {
        if (MetricKeys.Split(metric) is ({ } request, var inner))
        {
            return CandidateValue(inner, runs.Select(r => r.ForRequest(request)).ToList());
        }

        if (metric == MetricKeys.ErrorRate)
        {
            var counts = runs.Select(r => r.Counts()).OfType<(long Requests, long Errors)>().ToList();
            if (counts.Count > 0)
            {
                return (double)counts.Sum(c => c.Errors) / counts.Sum(c => c.Requests);
            }
        }

        var values = runs.Select(r => r.Value(metric)).Where(v => v is > 0).Select(v => Math.Log(v!.Value)).ToList();
        return values.Count == 0 ? double.NaN : Math.Exp(values.Average());
    }

    private static double RateRatio(double baseline, double candidate) =>
        baseline > 0 ? candidate / baseline : candidate > 0 ? double.PositiveInfinity : 1;

    /// <summary>Regression if any regressed; else inconclusive if any is; else improvement if any improved; else equivalent.</summary>
    internal static VerdictKind Overall(IReadOnlyList<MetricVerdict> verdicts) =>
        verdicts.Any(v => v.Kind == VerdictKind.Regression) ? VerdictKind.Regression
        : verdicts.Any(v => v.Kind == VerdictKind.Inconclusive) ? VerdictKind.Inconclusive
        : verdicts.Any(v => v.Kind == VerdictKind.Improvement) ? VerdictKind.Improvement
        : VerdictKind.Equivalent;
}
