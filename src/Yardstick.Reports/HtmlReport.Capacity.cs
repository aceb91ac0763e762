using System.Globalization;
using System.Text;
using Yardstick.Core.Capacity;
using Yardstick.Core.Summaries;

namespace Yardstick.Reports;

/// <summary>The HTML report's capacity section (runs that were a capacity search): the answer, the chart and the steps.</summary>
public static partial class HtmlReport
{
    private static void Capacity(StringBuilder html, RunSummary run)
    {
        if (run.Capacity is not { } capacity)
        {
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
