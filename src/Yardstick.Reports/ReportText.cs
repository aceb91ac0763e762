using System.Globalization;
using Yardstick.Core.Summaries;

namespace Yardstick.Reports;

/// <summary>Number and verdict wording shared by the renderers (invariant culture, units always written).</summary>
internal static class ReportText
{
    public const string Regression = "regression";
    public const string Improvement = "improvement";
    public const string Equivalent = "equivalent";
    public const string Inconclusive = "inconclusive";
    public const string NoBaseline = "no-baseline";

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Whether the metric's change is a difference (error rate, in percentage points) rather than a ratio.</summary>
    public static bool IsDifference(string metric) => metric is "errorRate";

    /// <summary>A metric's value with its unit: ms for latencies, % for rates, req/s, USD.</summary>
    public static string Value(string metric, double? value)
    {
        if (value is not { } v || !double.IsFinite(v))
        {
            return "n/a";
        }

        // A request's own metric (checkout.errorRate) has its base metric's unit.
        return Core.Verdicts.MetricKeys.Base(metric) switch
        {
            "errorRate" or "checks" => Percent(v * 100),
            "throughput" or "rps" => Number(v, 1) + " req/s",
            "costPerRequest" => Usd(v),
            "droppedArrivals" or "requests" or "errors" => Count((long)Math.Round(v)),
            _ => Ms(v),
        };
    }

    /// <summary>Change of candidate against baseline: signed % for ratios, signed percentage points for error rates.</summary>
    public static string Change(MetricVerdictSummary m)
    {
        if (IsDifference(m.Metric))
        {
            var difference = m.Ratio ?? (m.Candidate - m.Baseline);
            return difference is { } d ? Points(d) : "n/a";
        }

        var ratio = m.Ratio ?? (m.Baseline is > 0 ? m.Candidate / m.Baseline : null);
        return ratio is { } r ? SignedPercent(r) : "n/a";
    }

    /// <summary>The confidence interval of the change, with its level (for example <c>+1.2 % … +8.0 % (99 %)</c>).</summary>
    public static string Interval(MetricVerdictSummary m)
    {
        if (m.CiLow is not { } low || m.CiHigh is not { } high)
        {
            return "n/a";
        }

        var text = IsDifference(m.Metric) ? $"{Points(low)} … {Points(high)}" : $"{SignedPercent(low)} … {SignedPercent(high)}";
        return m.ConfidenceLevel is { } level ? $"{text} ({Percent(level * 100, 0)})" : text;
    }

    /// <summary>
    /// How far apart a round's shards began and how late the latest began; null when every shard began on time. A run
    /// whose spread passed its tolerance is degraded (the status line says why).
    /// </summary>
    public static string? ShardStarts(RunSummary run) =>
        run.MaxShardStartSpreadMs > 0 || run.MaxShardStartDelayMs > 0
            ? $"at most {Ms(run.MaxShardStartSpreadMs)} apart within a round; the latest {Ms(run.MaxShardStartDelayMs)} after its planned start"
            : null;

    /// <summary>Latency in ms with precision that suits its size.</summary>
    public static string Ms(double ms) => ms switch
    {
        >= 100 => Number(ms, 0) + " ms",
        >= 10 => Number(ms, 1) + " ms",
        >= 1 => Number(ms, 2) + " ms",
        _ => ms.ToString("0.###", Invariant) + " ms",
    };

    /// <summary>US dollars: four decimals from a cent up, three significant digits below (scientific under a millionth).</summary>
    public static string Usd(double usd)
    {
        var magnitude = Math.Abs(usd);
        var text = magnitude switch
        {
            0 => "0",
            >= 0.01 => usd.ToString("0.####", Invariant),
            >= 1e-6 => Math.Round(usd, 2 - (int)Math.Floor(Math.Log10(magnitude))).ToString("0.#########", Invariant),
            _ => usd.ToString("0.##E+0", Invariant),
        };
        return text + " USD";
    }

    public static string Percent(double percent, int decimals = 2) =>
        percent.ToString("F" + decimals.ToString(Invariant), Invariant) + " %";

    /// <summary>A ratio as a signed change: 1.083 → <c>+8.3 %</c>.</summary>
    public static string SignedPercent(double ratio)
    {
        var change = (ratio - 1) * 100;
        return (change >= 0 ? "+" : "−") + Math.Abs(change).ToString(Math.Abs(change) < 10 ? "0.0" : "0", Invariant) + " %";
    }

    /// <summary>A difference of fractions in percentage points: 0.0012 → <c>+0.12 pp</c>.</summary>
    public static string Points(double difference) =>
        (difference >= 0 ? "+" : "−") + Math.Abs(difference * 100).ToString("0.00", Invariant) + " pp";

    public static string Number(double value, int decimals) => value.ToString("N" + decimals.ToString(Invariant), Invariant);

    public static string Count(long value) => value.ToString("N0", Invariant);

    public static string Seconds(double seconds) => seconds switch
    {
        >= 3600 => TimeSpan.FromSeconds(Math.Round(seconds)).ToString(@"h\:mm\:ss", Invariant),
        >= 60 => $"{(int)(seconds / 60)} min {Number(seconds % 60, 0)} s",
        _ => Number(seconds, seconds < 10 ? 1 : 0) + " s",
    };

    /// <summary>
    /// The server series in one sentence: <c>process, every 1 s: 30 of 31 seconds sampled · peak CPU 87.3 % of one core ·
    /// peak resident memory 112.4 MB · gaps: 1 s in 1 gap.</c>
    /// </summary>
    public static string ServerMetrics(Core.ServerMetrics.ServerMetricSet set)
    {
        var intervals = (int)Math.Round((set.To - set.From).TotalSeconds / Math.Max(1, set.IntervalSeconds));
        var unit = set.IntervalSeconds == 1 ? "seconds" : "intervals";
        var sampled = intervals - (int)Math.Round(set.Gaps.Sum(g => g.Seconds) / Math.Max(1, set.IntervalSeconds));
        var parts = new List<string> { $"{set.Source}, every {set.IntervalSeconds} s: {sampled} of {intervals} {unit} sampled" };
        foreach (var series in set.Series)
        {
            if (series.Peak is { } peak)
            {
                parts.Add(series.Name switch
                {
                    Core.ServerMetrics.ServerMetricSeries.CpuPercent => $"peak CPU {peak.ToString("0.0", Invariant)} % of one core",
                    Core.ServerMetrics.ServerMetricSeries.ResidentMemoryMB => $"peak resident memory {peak.ToString("0.0", Invariant)} MB",
                    _ => $"peak {series.Name} {peak.ToString("0.##", Invariant)} {series.Unit}",
                });
            }
        }

        var gapSeconds = set.Gaps.Sum(g => g.Seconds);
        parts.Add(set.Gaps.Count == 0 ? "no gaps" : $"gaps: {Number(gapSeconds, 0)} s in {set.Gaps.Count} gap{(set.Gaps.Count == 1 ? "" : "s")}");
        if (set.IngestionDelaySeconds is { } delay)
        {
            parts.Add($"read {Seconds(delay)} after the window (ingestion delay)");
        }

        return string.Join(" · ", parts) + ".";
    }

    public static string Timestamp(DateTimeOffset at) =>
        at == default ? "n/a" : at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", Invariant);

    /// <summary>The overall verdict, or <c>not analysed</c> when the analysis has not run.</summary>
    public static string Overall(RunSummary run) => run.Verdict?.Overall ?? "not analysed";

    /// <summary>Pass, fail or inconclusive for the whole run, the way the gate decides it.</summary>
    public static string Outcome(RunSummary run)
    {
        if (run.Status is "failed" or "cancelled")
        {
            return "run failed";
        }

        if (run.Verdict is { } v && (v.Overall == Regression || !v.ThresholdsPassed))
        {
            return "fail";
        }

        return run.Verdict?.Overall == Inconclusive ? Inconclusive : "pass";
    }

    /// <summary>The largest "more runs per side" estimate among inconclusive metrics.</summary>
    public static int? AdditionalRunsNeeded(VerdictSummary? verdict) =>
        verdict?.Metrics.Where(m => m.Kind == Inconclusive).Max(m => m.AdditionalRunsNeeded);

    /// <summary>Error classes with their counts, in the report's fixed order.</summary>
    public static IReadOnlyList<(string Name, long Count)> ErrorClasses(ErrorBreakdown e) =>
    [
        ("timeout", e.Timeout),
        ("connect", e.Connect),
        ("4xx", e.Http4xx),
        ("5xx", e.Http5xx),
        ("other", e.Other),
        ("check", e.Check),
    ];

    /// <summary>A check's display name: <c>request · name</c> in a mix, the name for a single target.</summary>
    public static string CheckName(CheckSummary check) => check.Request is null ? check.Name : check.Request + " · " + check.Name;

    /// <summary>Pass rate with the counts, e.g. <c>99.90 % (9,990 of 10,000)</c>; "not run" when no response reached it.</summary>
    public static string CheckRate(CheckSummary check) =>
        check.Passed + check.Failed == 0 ? "not run" : $"{Percent(check.PassRate * 100)} ({Count(check.Passed)} of {Count(check.Passed + check.Failed)})";

    /// <summary>Throughput against the open model's target, e.g. <c>198.7 req/s of 200.0 target (99.4 %)</c>.</summary>
    public static string Throughput(RunSummary run)
    {
        var achieved = Number(run.ThroughputRps, 1) + " req/s";
        return run.TargetRps is { } target && target > 0
            ? $"{achieved} of {Number(target, 1)} target ({Percent(run.ThroughputRps / target * 100, 1)})"
            : achieved;
    }
}
