using System.Globalization;
using System.Text;
using Yardstick.Core.Cost;
using Yardstick.Core.Summaries;

namespace Yardstick.Reports;

/// <summary>The HTML report's settings-sweep section (runs with two variants or more).</summary>
public static partial class HtmlReport
{
    private static bool HasSweep(RunSummary run) => run.Variants.Count >= 2;

    private static void Sweep(StringBuilder html, RunSummary run)
    {
        if (!HasSweep(run))
        {
            return;
        }

        var variants = run.Variants;
        var byCost = SweepRecommendation.UsesCost(variants);
        var recommended = variants.FirstOrDefault(v => v.Recommended);
        var grid = run.SweepGrid.Count >= 2;
        html.Append("<section id=\"sweep\">\n<h2>Settings sweep</h2>\n<p>")
            .Append(variants.Count).Append(grid ? " cells of the grid <code>" : " values of <code>").Append(E(run.SweepParameter ?? "the swept setting")).Append("</code>, ")
            .Append(grid
                ? "every cell once per round in a seeded random order, so drift on the target hits every cell alike; each cell's figures pool its rounds."
                : "interleaved round by round (A B C A B C) so drift on the target hits every value alike; each value's figures pool its rounds.");
        if (run.Recommendation is { Variant: not null } recommendation)
        {
            html.Append(" Recommended: <strong>").Append(E(recommendation.Variant)).Append("</strong>. ").Append(E(recommendation.Rule));
        }
        else if (recommended is not null)
        {
            html.Append(" Recommended: <strong>").Append(E(recommended.Variant)).Append("</strong>")
                .Append(byCost
                    ? ", the cheapest value whose p95 is within the workload's margin (<code>compare.margin</code>) of the fastest."
                    : ", the fastest (the workload has no cost section).");
        }

        html.Append("</p>\n<figure class=\"chart\" data-chart=\"pareto\">\n")
            .Append(Chart(() => ReportCharts.Pareto(variants)))
            .Append("\n<figcaption>")
            .Append(byCost
                ? "Each point is one value: modeled cost per 1M requests against p95 latency; lower-left is better. "
                : "Each point is one value: error rate against p95 latency; lower-left is better. ")
            .Append("Values on the Pareto front are not beaten on both axes by another value.</figcaption>\n</figure>\n");
        GridHeatMap(html, run);

        html.Append("<div class=\"table-wrap\"><table class=\"sweep\">\n<thead><tr><th>Value</th><th class=\"num\">Rounds</th><th class=\"num\">Requests</th>")
            .Append("<th class=\"num\">Throughput</th><th class=\"num\">p50</th><th class=\"num\">p95</th><th class=\"num\">p99</th>")
            .Append("<th class=\"num\">Error rate</th><th class=\"num\">Cost per 1M</th><th>Pareto front</th></tr></thead>\n<tbody>\n");
        foreach (var v in variants)
        {
            var measured = v.Requests > 0;
            html.Append("<tr><td><code>").Append(E(v.Variant)).Append("</code>")
                .Append(v.Recommended ? " <span class=\"badge r-pass\">recommended</span>" : "").Append("</td>");
            Num(html, v.Rounds.ToString(CultureInfo.InvariantCulture));
            Num(html, ReportText.Count(v.Requests));
            Num(html, measured ? ReportText.Number(v.ThroughputRps, 1) + " req/s" : "n/a");
            Num(html, measured ? ReportText.Ms(v.LatencyMs.P50) : "n/a");
            Num(html, measured ? ReportText.Ms(v.LatencyMs.P95) : "n/a");
            Num(html, measured ? ReportText.Ms(v.LatencyMs.P99) : "n/a");
            Num(html, measured ? ReportText.Percent(v.ErrorRate * 100) : "n/a");
            Num(html, v.Per1MRequestsUsd is { } usd ? ReportText.Usd(usd) : "n/a");
            html.Append("<td>").Append(v.OnParetoFront ? "★ on the front" : measured ? "dominated" : "not measured").Append("</td></tr>\n");
        }

        html.Append("</tbody></table></div>\n</section>\n");
    }
}
