namespace Yardstick.Core.Verdicts;

/// <summary>
/// The three-way rule on the "worse" axis. Estimates and bounds are oriented so that positive means worse (log ratio
/// for latency, cost, cold start; minus log ratio for throughput; the rate difference for errors). With W the margin on
/// the worse side and B on the better side (log(1 + m) and -log(1 - m) for a higher-is-worse ratio):
/// regression ⇔ lower &gt; 0 and estimate &gt; W (worse with confidence, and by more than the margin);
/// improvement ⇔ upper &lt; 0 and estimate &lt; -B; equivalent ⇔ -B ≤ lower and upper ≤ W; otherwise inconclusive.
/// A real but small change (the interval inside the margin, excluding 0) is equivalent: the margin says it does not matter.
/// </summary>
internal static class VerdictDecision
{
    public sealed record Oriented(double Estimate, double Lower, double Upper, double WorseMargin, double BetterMargin);

    public static Oriented Orient(ComparisonEstimate estimate, (double Lower, double Upper) bounds, VerdictPolicy policy)
    {
        if (estimate.Scale == IntervalScale.Difference)
        {
            var margin = ErrorRateMargin(estimate.Baseline, policy);
            return new Oriented(estimate.Estimate, bounds.Lower, bounds.Upper, margin, margin);
        }

        var up = Math.Log(1 + policy.Margin);
        var down = -Math.Log(1 - policy.Margin);
        return MetricKeys.Direction(estimate.Metric) == MetricDirection.HigherIsWorse
            ? new Oriented(estimate.Estimate, bounds.Lower, bounds.Upper, up, down)
            : new Oriented(-estimate.Estimate, -bounds.Upper, -bounds.Lower, down, up);
    }

    /// <summary>max(margin × baseline rate, floor): relative where rates are large, absolute near zero.</summary>
    public static double ErrorRateMargin(double baselineRate, VerdictPolicy policy) =>
        Math.Max(policy.Margin * baselineRate, policy.ErrorRateMarginFloor);

    public static VerdictKind Decide(Oriented o)
    {
        if (o.Lower > 0 && o.Estimate > o.WorseMargin)
        {
            return VerdictKind.Regression;
        }

        if (o.Upper < 0 && o.Estimate < -o.BetterMargin)
        {
            return VerdictKind.Improvement;
        }

        return o.Lower >= -o.BetterMargin && o.Upper <= o.WorseMargin ? VerdictKind.Equivalent : VerdictKind.Inconclusive;
    }

    /// <summary>
    /// More runs per side that would likely decide, assuming the estimate stays and the interval half-width shrinks as
    /// 1/√n: the half-width must fall below the distance from the estimate to 0 (to show a change beyond the margin) or
    /// to the nearer margin (to show equivalence). At least enough runs to reach the run-level path (three per side).
    /// </summary>
    public static int AdditionalRuns(Oriented o, ComparisonEstimate estimate, VerdictPolicy policy)
    {
        var half = (o.Upper - o.Lower) / 2;
        var target = o.Estimate > o.WorseMargin || o.Estimate < -o.BetterMargin
            ? Math.Abs(o.Estimate)
            : Math.Min(o.WorseMargin - o.Estimate, o.Estimate + o.BetterMargin);
        var minimum = estimate.RunLevel ? 1 : Math.Max(1, 3 - (int)Math.Floor(estimate.RunsPerSide));
        if (!double.IsFinite(half) || target <= 0)
        {
            return policy.MaxAdditionalRuns;
        }

        var needed = estimate.RunsPerSide * (half / target) * (half / target);
        var additional = (int)Math.Ceiling(Math.Min(needed - estimate.RunsPerSide, policy.MaxAdditionalRuns));
        return Math.Clamp(additional, minimum, policy.MaxAdditionalRuns);
    }
}
