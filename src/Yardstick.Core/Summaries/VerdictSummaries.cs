using Yardstick.Core.Verdicts;

namespace Yardstick.Core.Summaries;

/// <summary>Turns the verdict engine's result and the threshold checks into the <c>verdict</c> section of <c>summary.json</c>.</summary>
public static class VerdictSummaries
{
    /// <summary>
    /// The section for <paramref name="verdict"/> and <paramref name="thresholds"/>. Non-finite numbers (no baseline, not
    /// measured) become absent fields. For error rates <see cref="MetricVerdictSummary.Ratio"/> holds the difference
    /// candidate − baseline, the scale its interval is on.
    /// </summary>
    /// <param name="verdict">The comparison with the baseline (overall <c>no-baseline</c> when there was none).</param>
    /// <param name="thresholds">Absolute threshold results.</param>
    /// <param name="baselineRunIds">The runs the candidate was compared with.</param>
    /// <param name="note">A sentence added after the engine's explanation (for example why there is no baseline).</param>
    public static VerdictSummary From(RunVerdict verdict, IReadOnlyList<ThresholdResult> thresholds, IReadOnlyList<string> baselineRunIds, string? note = null)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        ArgumentNullException.ThrowIfNull(thresholds);
        return new VerdictSummary
        {
            Overall = verdict.Overall.ToWireName(),
            Explanation = string.IsNullOrWhiteSpace(note) ? verdict.Explanation : verdict.Explanation.TrimEnd() + " " + note.Trim(),
            BaselineRunIds = baselineRunIds,
            Metrics = verdict.Metrics.Select(Metric).ToList(),
            Thresholds = thresholds.Select(Threshold).ToList(),
        };
    }

    /// <summary>One metric's entry.</summary>
    public static MetricVerdictSummary Metric(MetricVerdict m)
    {
        ArgumentNullException.ThrowIfNull(m);
        var difference = m.Scale == IntervalScale.Difference;
        return new MetricVerdictSummary
        {
            Metric = m.Metric,
            Kind = m.Kind.ToWireName(),
            Baseline = Finite(m.Baseline),
            Candidate = Finite(m.Candidate),
            Ratio = difference ? Finite(m.Candidate - m.Baseline) : Finite(m.Ratio),
            CiLow = Finite(m.CiLow),
            CiHigh = Finite(m.CiHigh),
            ConfidenceLevel = Finite(m.ConfidenceLevel),
            PValue = m.PValue is { } p ? Finite(p) : null,
            AdditionalRunsNeeded = m.AdditionalRunsNeeded,
            Method = m.Method,
            TailSamples = m.TailSamples,
            Explanation = m.Explanation,
        };
    }

    /// <summary>One threshold's entry.</summary>
    public static ThresholdSummary Threshold(ThresholdResult t)
    {
        ArgumentNullException.ThrowIfNull(t);
        return new ThresholdSummary
        {
            Threshold = t.Threshold.Text,
            Metric = t.Threshold.Metric,
            Actual = t.Actual is { } actual ? Finite(actual) : null,
            Passed = t.Passed,
            Explanation = t.Explanation,
        };
    }

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;
}
