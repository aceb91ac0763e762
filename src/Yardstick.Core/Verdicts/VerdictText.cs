using System.Globalization;

namespace Yardstick.Core.Verdicts;

/// <summary>The one-sentence explanations, with units (ms, %, percentage points, req/s, USD).</summary>
internal static class VerdictText
{
    public static string Metric(MetricVerdict v, VerdictDecision.Oriented o, VerdictPolicy policy)
    {
        var more = Additional(v.AdditionalRunsNeeded, policy);
        var level = Percent(v.ConfidenceLevel * 100);
        string change, interval, margin;
        if (v.Scale == IntervalScale.Difference)
        {
            change = Points(v.Candidate - v.Baseline);
            interval = $"{Points(v.CiLow)} … {Points(v.CiHigh)}";
            margin = $"{Points(v.MarginApplied, signed: false)}";
        }
        else
        {
            change = SignedPercent(v.Ratio);
            interval = $"{SignedPercent(v.CiLow)} … {SignedPercent(v.CiHigh)}";
            margin = Percent(v.MarginApplied * 100);
        }

        var verb = v.Candidate > v.Baseline ? "rose" : v.Candidate < v.Baseline ? "fell" : "held";
        var clause = v.Kind switch
        {
            VerdictKind.Regression or VerdictKind.Improvement => $"beyond the {margin} margin",
            VerdictKind.Equivalent => $"within the ±{margin} margin",
            _ when o.Lower > 0 => $"worse, but not clearly beyond the {margin} margin",
            _ when o.Upper < 0 => $"better, but not clearly beyond the {margin} margin",
            _ => $"an interval that straddles the ±{margin} margin",
        };
        var moved = verb == "held" ? $"held at {Value(v.Metric, v.Baseline)}" : $"{verb} from {Value(v.Metric, v.Baseline)} to {Value(v.Metric, v.Candidate)}";
        return $"{v.Metric} {moved} ({change}, {level} CI {interval}), {clause}: {v.Kind.ToWireName()}{more}.";
    }

    public static string Unavailable(string metric, string reason, int? additional, VerdictPolicy policy) =>
        $"{metric} is inconclusive: {reason}{Additional(additional, policy)}.";

    public static string NoBaseline(string metric, double candidate) =>
        double.IsFinite(candidate)
            ? $"{metric} is {Value(metric, candidate)} with no baseline to compare with: no-baseline."
            : $"{metric} was not measured and there is no baseline to compare with: no-baseline.";

    public static string Run(VerdictKind overall, IReadOnlyList<MetricVerdict> metrics, VerdictPolicy policy)
    {
        string Names(VerdictKind kind) => string.Join(", ", metrics.Where(m => m.Kind == kind).Select(m => m.Metric));
        var margin = Percent(policy.Margin * 100);
        var family = $"family-wise α {Percent(policy.Alpha * 100)}, Holm over {metrics.Count} gated metric{(metrics.Count == 1 ? "" : "s")}";
        switch (overall)
        {
            case VerdictKind.NoBaseline:
                return "No baseline yet: the absolute thresholds alone decide this run.";
            case VerdictKind.Regression:
                return $"Regression: {Names(VerdictKind.Regression)} worse beyond the margin ({margin}; {family}).";
            case VerdictKind.Inconclusive:
                var most = metrics.Where(m => m.Kind == VerdictKind.Inconclusive).Max(m => m.AdditionalRunsNeeded);
                var more = most is { } n ? $"; about {RunsText(n, policy)} more run{(n == 1 ? "" : "s")} per side would likely decide" : "";
                return $"Inconclusive: {Names(VerdictKind.Inconclusive)} cannot be decided yet{more} ({family}).";
            case VerdictKind.Improvement:
                var equivalent = Names(VerdictKind.Equivalent);
                return $"Improvement: {Names(VerdictKind.Improvement)} better beyond the margin{(equivalent.Length > 0 ? $", {equivalent} equivalent" : "")} ({margin}; {family}).";
            default:
                return $"Equivalent: all {metrics.Count} gated metric{(metrics.Count == 1 ? "" : "s")} within their margins ({margin}; {family}).";
        }
    }

    public static string Value(string metric, double value)
    {
        if (!double.IsFinite(value))
        {
            return "n/a";
        }

        return MetricKeys.Base(metric) switch
        {
            MetricKeys.ErrorRate => Percent(value * 100, decimals: 2),
            MetricKeys.Throughput => $"{F(value, 1)} req/s",
            MetricKeys.CostPerRequest => $"{Significant(value, 3)} USD",
            _ => value >= 1 ? $"{F(value, 1)} ms" : $"{Significant(value, 3)} ms",
        };
    }

    private static string Additional(int? runs, VerdictPolicy policy) =>
        runs is { } n ? $"; about {RunsText(n, policy)} more run{(n == 1 ? "" : "s")} per side would likely decide" : "";

    private static string RunsText(int n, VerdictPolicy policy) => n >= policy.MaxAdditionalRuns ? $"{n} or" : n.ToString(CultureInfo.InvariantCulture);

    private static string SignedPercent(double ratio)
    {
        if (!double.IsFinite(ratio))
        {
            return ratio > 0 ? "+∞%" : "-∞%";
        }

        var pct = (ratio - 1) * 100;
        return (pct >= 0 ? "+" : "") + F(pct, 1) + "%";
    }

    private static string Points(double difference, bool signed = true) =>
        (signed && difference >= 0 ? "+" : "") + F(difference * 100, 2) + " pp";

    private static string Percent(double percent, int decimals = -1) =>
        (decimals < 0 ? percent.ToString("0.##", CultureInfo.InvariantCulture) : F(percent, decimals)) + "%";

    private static string F(double value, int decimals) => value.ToString("F" + decimals, CultureInfo.InvariantCulture);

    private static string Significant(double value, int digits)
    {
        if (value == 0)
        {
            return "0";
        }

        var decimals = Math.Clamp(digits - 1 - (int)Math.Floor(Math.Log10(Math.Abs(value))), 0, 15);
        return F(value, decimals);
    }
}
