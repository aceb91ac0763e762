using System.Globalization;
using Spectre.Console;
using Yardstick.Core.Summaries;

namespace Yardstick.Cli.Console;

/// <summary>The verdict section as console tables: one row per gated metric, then the thresholds.</summary>
internal static class VerdictView
{
    public static void Render(IAnsiConsole console, VerdictSummary verdict)
    {
        var baseline = verdict.BaselineRunIds.Count switch
        {
            0 => null,
            1 => "baseline " + verdict.BaselineRunIds[0],
            var n => $"baseline: {n} runs ({verdict.BaselineRunIds[0]} … {verdict.BaselineRunIds[^1]})",
        };
        console.MarkupLine($"Verdict: {KindMarkup(verdict.Overall)}" + (baseline is null ? "" : $" ({Markup.Escape(baseline)})"));
        if (verdict.Explanation.Length > 0)
        {
            console.WriteLine(verdict.Explanation);
        }

        if (verdict.Drift is { } drift)
        {
            console.MarkupLine("[yellow]drift[/]: " + Markup.Escape(drift.Explanation));
        }

        if (verdict.Metrics.Count > 0)
        {
            var table = new Table().Border(TableBorder.Simple);
            table.AddColumns("metric", verdict.ComparedWith, "candidate", "change", "interval", "verdict", "more runs");
            foreach (var m in verdict.Metrics)
            {
                table.AddRow(
                    Markup.Escape(m.Metric),
                    Markup.Escape(Value(m.Metric, m.Baseline)),
                    Markup.Escape(Value(m.Metric, m.Candidate)),
                    Markup.Escape(Change(m)),
                    Markup.Escape(Interval(m)),
                    KindMarkup(m.Kind),
                    m.AdditionalRunsNeeded?.ToString(CultureInfo.InvariantCulture) ?? "");
            }

            console.Write(table);
            var tails = verdict.Metrics.Where(m => m.TailSamples is not null).Select(m => $"{m.Metric} {m.TailSamples!.Value.ToString("N0", CultureInfo.InvariantCulture)}").ToList();
            if (tails.Count > 0)
            {
                console.WriteLine($"tail samples behind each quantile (fewest in a compared run): {string.Join(", ", tails)}");
            }
        }

        if (verdict.Thresholds.Count > 0)
        {
            var table = new Table().Border(TableBorder.Simple);
            table.AddColumns("threshold", "actual", "result");
            foreach (var t in verdict.Thresholds)
            {
                table.AddRow(Markup.Escape(t.Threshold), Markup.Escape(Value(t.Metric, t.Actual)), t.Passed ? "[green]pass[/]" : "[red]fail[/]");
            }

            console.Write(table);
        }
    }

    /// <summary>Values with units: ms for latencies, % for error rates and check pass rates, req/s, USD (a request's own metric as its base).</summary>
    public static string Value(string metric, double? value)
    {
        var m = Yardstick.Core.Verdicts.MetricKeys.Base(metric);
        return value switch
        {
            null => "-",
            { } v when m is "errorRate" or "checks" => (v * 100).ToString("0.###", CultureInfo.InvariantCulture) + " %",
            { } v when m is "throughput" or "rps" => v.ToString("0.0", CultureInfo.InvariantCulture) + " req/s",
            { } v when m == "costPerRequest" => v.ToString("0.##########", CultureInfo.InvariantCulture) + " USD",
            { } v when m == "droppedArrivals" => v.ToString("0", CultureInfo.InvariantCulture),
            { } v => v.ToString(v >= 100 ? "0" : v >= 10 ? "0.0" : "0.###", CultureInfo.InvariantCulture) + " ms",
        };
    }

    private static string Change(MetricVerdictSummary m) => m.Ratio switch
    {
        null => "-",
        { } d when m.Metric == "errorRate" => Points(d),
        { } r => Signed((r - 1) * 100) + " %",
    };

    private static string Interval(MetricVerdictSummary m)
    {
        if (m.CiLow is not { } low || m.CiHigh is not { } high)
        {
            return "-";
        }

        var level = m.ConfidenceLevel is { } c ? $" ({(c * 100).ToString("0.##", CultureInfo.InvariantCulture)} %)" : "";
        return m.Metric == "errorRate"
            ? $"{Points(low)} … {Points(high)}{level}"
            : $"{Signed((low - 1) * 100)} … {Signed((high - 1) * 100)} %{level}";
    }

    private static string Points(double difference) => Signed(difference * 100) + " pp";

    private static string Signed(double value) => (value >= 0 ? "+" : "") + value.ToString(Math.Abs(value) >= 100 ? "0" : "0.0", CultureInfo.InvariantCulture);

    private static string KindMarkup(string kind) => kind switch
    {
        "regression" => "[red]regression[/]",
        "improvement" => "[green]improvement[/]",
        "equivalent" => "[green]equivalent[/]",
        "inconclusive" => "[yellow]inconclusive[/]",
        var other => Markup.Escape(other),
    };
}
