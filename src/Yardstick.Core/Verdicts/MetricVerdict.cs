namespace Yardstick.Core.Verdicts;

/// <summary>The verdict on one gated metric, a Perfolizer-style conclusion: a kind and a sentence with the numbers.</summary>
/// <param name="Metric">The metric key.</param>
/// <param name="Kind">The three-way (+ inconclusive) verdict.</param>
/// <param name="Baseline">Baseline value (geometric mean of runs, or median for the rank method; the pooled rate for errors).</param>
/// <param name="Candidate">Candidate value, same convention.</param>
/// <param name="Ratio">Estimated candidate/baseline ratio (for error rates the rate ratio, ∞ when the baseline had no errors).</param>
/// <param name="CiLow">Lower interval bound: a ratio, or for <see cref="IntervalScale.Difference"/> the rate difference.</param>
/// <param name="CiHigh">Upper interval bound, same scale.</param>
/// <param name="ConfidenceLevel">Two-sided level of [CiLow, CiHigh]: 1 - 2 × <paramref name="AdjustedAlpha"/>.</param>
/// <param name="PValue">One-sided p-value in the observed direction of change (what Holm orders); null when not computed.</param>
/// <param name="AdjustedAlpha">Holm-adjusted one-sided level this metric was judged at.</param>
/// <param name="AdditionalRunsNeeded">For inconclusive verdicts: about how many more runs per side would likely decide.</param>
/// <param name="Method">How the interval was computed (<c>run-level-student</c>, <c>window-block-bootstrap</c>, …).</param>
/// <param name="Explanation">One sentence with baseline, candidate, interval and margin.</param>
/// <param name="Scale">Whether the interval is a ratio or a difference.</param>
/// <param name="MarginApplied">The margin on <paramref name="Scale"/>: relative (0.05) or absolute for error rates.</param>
/// <param name="TailSamples">For latency quantiles: the fewest requests beyond the quantile in any compared run or round
/// (requests × min(p, 1 - p)), its effective sample size; null for other metrics or without request counts.</param>
public sealed record MetricVerdict(
    string Metric,
    VerdictKind Kind,
    double Baseline,
    double Candidate,
    double Ratio,
    double CiLow,
    double CiHigh,
    double ConfidenceLevel,
    double? PValue,
    double AdjustedAlpha,
    int? AdditionalRunsNeeded,
    string Method,
    string Explanation,
    IntervalScale Scale = IntervalScale.Ratio,
    double MarginApplied = 0,
    long? TailSamples = null);

/// <summary>The verdict on a whole run.</summary>
/// <param name="Overall">Regression if any gated metric regressed; else inconclusive if any is; else improvement if any
/// improved; else equivalent. <see cref="VerdictKind.NoBaseline"/> without a baseline.</param>
/// <param name="Metrics">One verdict per gated metric, in the policy's order.</param>
/// <param name="Explanation">One sentence summarising the metrics that decided.</param>
public sealed record RunVerdict(VerdictKind Overall, IReadOnlyList<MetricVerdict> Metrics, string Explanation);
