using System.Globalization;
using Yardstick.Core.Statistics;

namespace Yardstick.Core.Verdicts;

/// <summary>
/// One pair of a paired A/B gate: a measured round of the reference (what runs in production now) and one of the
/// candidate, taken minutes apart in the same orchestration (ABBA-balanced order), so drift both sides see cancels.
/// </summary>
/// <param name="Reference">The reference round's metrics.</param>
/// <param name="Candidate">The candidate round's metrics.</param>
public sealed record PairedRound(RunMetrics Reference, RunMetrics Candidate);

/// <summary>
/// The verdict of a paired A/B gate. The pair is the unit of replication: per pair the log-ratio candidate/reference of
/// each ratio metric (for error rates the rate difference), then
/// <list type="bullet">
/// <item>with ≥ <see cref="MinimumSignedRankPairs"/> pairs, and enough pairs for the signed-rank floor 2⁻ⁿ to reach the
/// first Holm level α/k: Wilcoxon's signed-rank test with the Hodges–Lehmann estimate and its exact distribution-free
/// interval (<see cref="WilcoxonSignedRank"/>), method <c>paired-signed-rank</c>;</item>
/// <item>otherwise the paired t on the log-ratios (<see cref="PairedStudent"/>), method <c>paired-t</c>; with a stored
/// calibration its run-to-run variance enters as a prior for the variance of one log-ratio (2σ², conservative: the
/// calibration's A/A runs were hours apart, so their noise includes drift a pair does not see), method
/// <c>paired-t-calibrated</c>.</item>
/// </list>
/// Holm's step-down across the gated metrics and the decision rule are <see cref="VerdictEngine"/>'s, so the four answers
/// and their sentences are the same; each metric's sentence then says which paired method decided it.
/// </summary>
public static class PairedComparison
{
    /// <summary>Pairs from which the signed-rank method is used (when its 2⁻ⁿ floor can reach the first Holm level).</summary>
    public const int MinimumSignedRankPairs = 6;

    /// <summary>Compares the candidate with the reference over <paramref name="pairs"/> under <paramref name="policy"/>.</summary>
    /// <exception cref="InputException">The policy is invalid or there is no pair.</exception>
    public static RunVerdict Compare(IReadOnlyList<PairedRound> pairs, VerdictPolicy policy)
    {
        policy.Validate();
        if (pairs.Count == 0)
        {
            throw new InputException("compare.against", "A paired comparison needs at least one pair of rounds.");
        }

        var firstLevel = policy.Alpha / policy.Metrics.Count;
        // The tail-sample floor as for any comparison: a quantile whose smallest round (either side) has too few requests
        // beyond it is inconclusive and takes no Holm step.
        var rounds = pairs.SelectMany(p => new[] { p.Reference, p.Candidate }).ToList();
        var tails = policy.Metrics.ToDictionary(m => m, m => TailSampleFloor.Smallest(m, rounds), StringComparer.Ordinal);
        var evidence = policy.Metrics
            .Select(metric => Evidence(metric, pairs, policy, firstLevel))
            .Select(e => e.Estimate is not null && TailSampleFloor.Shortfall(e.Metric, tails[e.Metric], policy) is { } shortfall
                ? MetricEvidence.Unavailable(e.Metric, shortfall)
                : e)
            .ToList();
        var available = evidence.Where(e => e.Estimate is not null).ToList();
        var pValues = available.Select(e => e.Estimate!.PValue()).ToList();
        var steps = available.Count > 0 ? HolmCorrection.Steps(pValues, policy.Alpha) : [];
        var verdicts = evidence.Select(e =>
        {
            var index = available.IndexOf(e);
            if (index < 0)
            {
                return VerdictEngine.Unavailable(e, policy, available.Count) with { TailSamples = tails[e.Metric]?.Samples };
            }

            var verdict = VerdictEngine.WithTail(VerdictEngine.Judge(e.Estimate!, steps[index].Level, pValues[index], policy), tails[e.Metric]);
            return verdict with { Explanation = $"{verdict.Explanation} {MethodSentence(e.Estimate!)}" };
        }).ToList();

        var overall = VerdictEngine.Overall(verdicts);
        var text = $"{VerdictText.Run(overall, verdicts, policy)} Paired design: {Count(pairs.Count, "pair")} of rounds, reference and candidate alternated, so drift both saw cancels.";
        return new RunVerdict(overall, verdicts, text);
    }

    /// <summary>The paired method a metric with <paramref name="pairs"/> usable pairs gets at the first Holm level.</summary>
    public static string MethodFor(int pairs, double firstHolmLevel, bool calibrated) =>
        pairs >= MinimumSignedRankPairs && WilcoxonSignedRank.MinimumPValue(pairs) <= firstHolmLevel
            ? "paired-signed-rank"
            : calibrated ? "paired-t-calibrated" : "paired-t";

    private static MetricEvidence Evidence(string metric, IReadOnlyList<PairedRound> pairs, VerdictPolicy policy, double firstLevel)
    {
        var (request, inner) = MetricKeys.Split(metric);
        RunMetrics Side(RunMetrics run) => request is null ? run : run.ForRequest(request);
        return inner == MetricKeys.ErrorRate
            ? ErrorRates(metric, pairs.Select(p => (Side(p.Reference), Side(p.Candidate))).ToList(), policy, firstLevel)
            : Ratios(metric, inner, pairs.Select(p => (Side(p.Reference), Side(p.Candidate))).ToList(), policy, firstLevel);
    }

    private static MetricEvidence Ratios(string metric, string inner, List<(RunMetrics Reference, RunMetrics Candidate)> pairs, VerdictPolicy policy, double firstLevel)
    {
        var usable = pairs
            .Select(p => (Reference: p.Reference.Value(inner), Candidate: p.Candidate.Value(inner)))
            .Where(p => p.Reference is > 0 && p.Candidate is > 0)
            .Select(p => (Reference: Math.Log(p.Reference!.Value), Candidate: Math.Log(p.Candidate!.Value)))
            .ToList();
        if (usable.Count == 0)
        {
            return MetricEvidence.Unavailable(metric, $"{metric} was not measured (as a positive value) in any pair of rounds");
        }

        var differences = usable.Select(p => p.Candidate - p.Reference).ToList();
        var reference = Math.Exp(usable.Average(p => p.Reference));
        var candidate = Math.Exp(usable.Average(p => p.Candidate));
        var prior = policy.Noise.TryGetValue(metric, out var p) ? p : null;
        return Decide(metric, differences, reference, candidate, prior is null ? null : (2 * prior.LogStandardDeviation * prior.LogStandardDeviation, prior.DegreesOfFreedom), firstLevel);
    }

    private static MetricEvidence ErrorRates(string metric, List<(RunMetrics Reference, RunMetrics Candidate)> pairs, VerdictPolicy policy, double firstLevel)
    {
        var usable = pairs
            .Select(p => (Reference: p.Reference.Counts(), Candidate: p.Candidate.Counts()))
            .Where(p => p.Reference is not null && p.Candidate is not null)
            .Select(p => (Reference: p.Reference!.Value, Candidate: p.Candidate!.Value))
            .ToList();
        if (usable.Count == 0)
        {
            return MetricEvidence.Unavailable(metric, "request and error counts are missing from every pair of rounds");
        }

        var differences = usable.Select(p => ((double)p.Candidate.Errors / p.Candidate.Requests) - ((double)p.Reference.Errors / p.Reference.Requests)).ToList();
        var reference = (double)usable.Sum(p => p.Reference.Errors) / usable.Sum(p => p.Reference.Requests);
        var candidate = (double)usable.Sum(p => p.Candidate.Errors) / usable.Sum(p => p.Candidate.Requests);
        return Decide(metric, differences, reference, candidate, prior: null, firstLevel);
    }

    private static MetricEvidence Decide(string metric, List<double> differences, double reference, double candidate, (double Variance, int DegreesOfFreedom)? prior, double firstLevel)
    {
        var method = MethodFor(differences.Count, firstLevel, prior is not null);
        if (method == "paired-signed-rank")
        {
            return MetricEvidence.From(new SignedRankComparison(metric, reference, candidate, differences));
        }

        if (differences.Count < 2 && prior is null)
        {
            return MetricEvidence.Unavailable(metric, $"{metric} has one pair of rounds and no calibration, so the pair-to-pair noise is unknown", 1);
        }

        var student = prior is { } known
            ? PairedStudent.Estimate(differences, known.Variance, known.DegreesOfFreedom)
            : PairedStudent.Estimate(differences);
        return MetricEvidence.From(new StudentComparison(metric, reference, candidate, method, differences.Count, runLevel: true, student));
    }

    private static string MethodSentence(ComparisonEstimate estimate)
    {
        var pairs = Count((int)estimate.RunsPerSide, "pair");
        var scale = estimate.Scale == IntervalScale.Ratio ? "log-ratios" : "rate differences";
        return estimate.Method switch
        {
            "paired-signed-rank" => $"Paired signed-rank over {pairs}: Hodges–Lehmann estimate of the {scale} with its exact interval.",
            "paired-t-calibrated" => $"Paired t over {pairs} on the {scale}, with the stored calibration's noise as prior.",
            _ => $"Paired t over {pairs} on the {scale} (too few pairs for the signed-rank test to reach this level).",
        };
    }

    private static string Count(int n, string noun) => $"{n.ToString(CultureInfo.InvariantCulture)} {noun}{(n == 1 ? "" : "s")}";
}

/// <summary>Hodges–Lehmann centre of paired differences with the exact signed-rank interval and p-values.</summary>
internal sealed class SignedRankComparison(string metric, double baseline, double candidate, IReadOnlyList<double> differences)
    : ComparisonEstimate(metric, baseline, candidate, "paired-signed-rank", differences.Count, runLevel: true)
{
    public override double Estimate { get; } = WilcoxonSignedRank.Estimate(differences);

    public override (double Lower, double Upper) Bounds(double oneSidedAlpha) => WilcoxonSignedRank.Bounds(differences, oneSidedAlpha);

    public override double PValueGreater() => WilcoxonSignedRank.PValueGreater(differences);

    public override double PValueLess() => WilcoxonSignedRank.PValueLess(differences);
}
