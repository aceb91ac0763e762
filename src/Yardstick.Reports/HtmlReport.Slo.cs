using System.Text;
using Yardstick.Core.Summaries;

namespace Yardstick.Reports;

/// <summary>The HTML report's SLO section: attainment and burn rate of each objective of the workload's <c>slo:</c>.</summary>
public static partial class HtmlReport
{
    private static void Slo(StringBuilder html, RunSummary run)
    {
        if (run.Slo is not { Objectives.Count: > 0 } slo)
        {
            return;
        }

        html.Append("<section id=\"slo\">\n<h2>Service level objectives</h2>\n")
            .Append("<div class=\"table-wrap\"><table>\n<thead><tr><th>Objective</th><th class=\"num\">Target</th><th class=\"num\">Attained</th>")
            .Append("<th class=\"num\">Good / total</th><th class=\"num\">Burn rate</th><th>Result</th></tr></thead>\n<tbody>\n");
        foreach (var objective in slo.Objectives)
        {
            html.Append("<tr><td><code>").Append(E(objective.Objective)).Append("</code></td>");
            Num(html, SloText.Share(objective.Target));
            Num(html, SloText.Share(objective.Attainment));
            Num(html, $"{ReportText.Count(objective.Good)} / {ReportText.Count(objective.Total)}");
            Num(html, SloText.Burn(objective.BurnRate));
            html.Append("<td><span class=\"badge ").Append(objective.Met ? "r-pass\">met" : "r-fail\">missed").Append("</span></td></tr>\n");
        }

        html.Append("</tbody></table></div>\n<p class=\"note\">Burn rate = (1 − attained) ÷ (1 − target): at 1 the run spends the error budget exactly as fast as a ")
            .Append(E(SloText.Window(slo))).Append(" window allows; above 1 it would exhaust it early. Latency objectives count requests at or under the threshold, from the intended start.</p>\n</section>\n");
    }
}
