using System.Globalization;
using System.Text;
using Yardstick.Core.Capacity;
using Yardstick.Core.Summaries;

namespace Yardstick.Reports;

/// <summary>The HTML report's capacity section (runs that were a capacity search): the answer, the chart and the steps.</summary>
public static partial class HtmlReport
{
    /// <summary>A capacity study (a sweep with <c>capacity:</c>): the picks, a row per variant, and each variant's chart.</summary>
    private static void CapacityStudy(StringBuilder html, RunSummary run)
    {
        if (run.CapacityStudy is not { } study)
        {
            return;
        }

        html.Append("<section id=\"capacity\">\n<h2>Capacity per setting</h2>\n<p>").Append(E(study.Explanation)).Append("</p>\n")
            .Append("<div class=\"table-wrap\"><table class=\"capacity-study\"><thead><tr><th>Variant</th><th class=\"num\">Capacity</th>")
            .Append("<th class=\"num\">With sampling uncertainty</th><th class=\"num\">Knee</th><th class=\"num\">Cost per 1M at capacity</th><th>Answer</th></tr></thead>\n<tbody>\n");
        static string Rate(double? r) => r is { } v ? v.ToString("0.#", CultureInfo.InvariantCulture) + "/s" : "n/a";
        foreach (var variant in study.Variants)
        {
            var r = variant.Result;
            html.Append("<tr><td>").Append(E(variant.Variant));
            if (variant.Variant == study.HighestCapacity)
            {
                html.Append(" <span class=\"badge r-pass\">highest capacity</span>");
            }

            if (variant.Variant == study.CheapestAtCapacity)
            {
                html.Append(" <span class=\"badge r-pass\">cheapest at capacity</span>");
            }

            html.Append("</td>");
            Num(html, Rate(r?.MaxSustainableRate));
            Num(html, r is null ? "n/a" : $"{Rate(r.ConfidentLower)} – {Rate(r.ConfidentUpper)}");
            Num(html, Rate(r?.Knee));
            Num(html, r?.Per1MRequestsAtCapacityUsd is { } usd ? ReportText.Usd(usd) : "n/a");
            html.Append("<td>").Append(E(variant.Failure is { } failure ? "not searched: " + failure : r!.Explanation)).Append("</td></tr>\n");
        }

        html.Append("</tbody></table></div>\n");
        foreach (var variant in study.Variants.Where(v => v.Result is not null))
        {
            html.Append("<figure class=\"chart\" data-chart=\"capacity\">\n").Append(Chart(() => ReportCharts.Capacity(variant.Result!)))
                .Append("\n<figcaption>").Append(E(variant.Variant)).Append(": p99 latency at each step's offered rate (green pass, red fail, grey generator-limited).</figcaption>\n</figure>\n");
        }

        html.Append("</section>\n");
    }

    private static void Capacity(StringBuilder html, RunSummary run)
    {
        if (run.Capacity is not { } capacity)
        {
            CapacityStudy(html, run);
            return;
        }

        html.Append("<section id=\"capacity\">\n<h2>Capacity</h2>\n<p>").Append(E(capacity.Explanation));
        if (capacity.Per1MRequestsAtCapacityUsd is { } atCapacity)
        {
            html.Append(" Modeled cost per 1M requests at capacity: <strong>").Append(E(ReportText.Usd(atCapacity))).Append("</strong>.");
        }

        html.Append("</p>\n<figure class=\"chart\" data-chart=\"capacity\">\n")
            .Append(Chart(() => ReportCharts.Capacity(capacity)))
            .Append("\n<figcaption>Each point is one step's measured round: p99 latency from the intended start (no coordinated ")
            .Append("omission) at the rate the step offered; green passed every SLO, red broke one, grey was limited by the ")
            .Append("generator and is not counted. The capacity lies between the last pass and the knee.</figcaption>\n</figure>\n");

        var priced = capacity.Steps.Any(s => s.Per1MRequestsUsd is not null);
        html.Append("<div class=\"table-wrap\"><table class=\"capacity\">\n<thead><tr><th class=\"num\">Step</th><th>Kind</th><th class=\"num\">Rate</th>")
            .Append("<th class=\"num\">p50</th><th class=\"num\">p95</th><th class=\"num\">p99</th><th class=\"num\">Errors</th><th class=\"num\">Dropped</th>")
            .Append("<th class=\"num\">Lag p99</th>").Append(priced ? "<th class=\"num\">Cost per 1M</th>" : "").Append("<th>Outcome</th></tr></thead>\n<tbody>\n");
        foreach (var step in capacity.Steps)
        {
            var m = step.Measurement;
            html.Append("<tr>");
            Num(html, step.Index.ToString(CultureInfo.InvariantCulture));
            html.Append("<td>").Append(E(step.Kind)).Append("</td>");
            Num(html, ReportText.Number(m.Rate, 1) + " req/s");
            Num(html, m.Latency.TryGetValue("p50", out var p50) ? ReportText.Ms(p50) : "n/a");
            Num(html, m.Latency.TryGetValue("p95", out var p95) ? ReportText.Ms(p95) : "n/a");
            Num(html, m.Latency.TryGetValue("p99", out var p99) ? ReportText.Ms(p99) : "n/a");
            Num(html, ReportText.Count(m.Errors));
            Num(html, ReportText.Count(m.Dropped));
            Num(html, ReportText.Ms(m.LagP99Ms));
            if (priced)
            {
                Num(html, step.Per1MRequestsUsd is { } usd ? ReportText.Usd(usd) : "n/a");
            }

            var (css, word) = step.Outcome switch
            {
                CapacityStepOutcome.Pass => ("r-pass", "pass"),
                CapacityStepOutcome.Fail => ("r-fail", "fail"),
                CapacityStepOutcome.AutoStop => ("r-fail", "autostop"),
                _ => ("v-inconclusive", "generator-limited"),
            };
            html.Append("<td><span class=\"badge ").Append(css).Append("\">").Append(word).Append("</span>");
            if (step.Borderline)
            {
                html.Append(" <span class=\"badge v-inconclusive\" title=\"the 95 % interval of an SLO metric straddles its bound\">borderline</span>");
            }

            if (step.Breaches.Count > 0)
            {
                html.Append(' ').Append(E(string.Join("; ", step.Breaches)));
            }

            html.Append("</td></tr>\n");
        }

        html.Append("</tbody></table></div>\n</section>\n");
    }
}
