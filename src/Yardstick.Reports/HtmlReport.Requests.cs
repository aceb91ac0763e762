using System.Globalization;
using System.Text;
using Yardstick.Core.Summaries;

namespace Yardstick.Reports;

/// <summary>The request-mix section: every named request's own figures.</summary>
public static partial class HtmlReport
{
    private static void Requests(StringBuilder html, RunSummary run)
    {
        if (run.PerRequest.Count == 0)
        {
            return;
        }

        html.Append("<section id=\"requests\">\n<h2>Requests</h2>\n<p class=\"note\">Each named request of the mix, measured on its own; the run's totals above include them all.</p>\n")
            .Append("<div class=\"table-wrap\"><table>\n<thead><tr><th>Request</th><th>Method and URL</th><th class=\"num\">Weight</th><th class=\"num\">Share</th>")
            .Append("<th class=\"num\">Requests</th><th class=\"num\">p50</th><th class=\"num\">p95</th><th class=\"num\">p99</th><th class=\"num\">max</th>")
            .Append("<th class=\"num\">Errors</th><th>Status codes</th></tr></thead>\n<tbody>\n");
        foreach (var r in run.PerRequest)
        {
            html.Append("<tr><td><strong>").Append(E(r.Name)).Append("</strong></td><td><code>").Append(E(r.Method + " " + r.Url)).Append("</code></td>");
            Num(html, r.Weight.ToString("0.###", CultureInfo.InvariantCulture));
            Num(html, ReportText.Percent(r.Share * 100));
            Num(html, ReportText.Count(r.Requests));
            Num(html, ReportText.Ms(r.LatencyMs.P50));
            Num(html, ReportText.Ms(r.LatencyMs.P95));
            Num(html, ReportText.Ms(r.LatencyMs.P99));
            Num(html, ReportText.Ms(r.LatencyMs.Max));
            Num(html, $"{ReportText.Count(r.Errors)} ({ReportText.Percent(r.ErrorRate * 100)})");
            html.Append("<td>").Append(E(string.Join(", ", r.StatusCodes.OrderBy(c => c.Key).Select(c => $"{c.Key}: {ReportText.Count(c.Value)}")))).Append("</td></tr>\n");
        }

        html.Append("</tbody></table></div>\n</section>\n");
    }

    /// <summary>The response checks: each with its pass rate and counts.</summary>
    private static void Checks(StringBuilder html, RunSummary run)
    {
        if (run.Checks.Count == 0)
        {
            return;
        }

        html.Append("<section id=\"checks\">\n<h2>Checks</h2>\n<p class=\"note\">Every full response is checked; a 2xx/3xx response failing a check counts as an error of class <code>check</code>.</p>\n")
            .Append("<div class=\"table-wrap\"><table>\n<thead><tr><th>Check</th><th>Expression</th><th class=\"num\">Passed</th><th class=\"num\">Failed</th><th class=\"num\">Pass rate</th></tr></thead>\n<tbody>\n");
        foreach (var c in run.Checks)
        {
            html.Append("<tr><td>").Append(c.Failed > 0 ? "<strong class=\"failure\">" : "<strong>").Append(E(ReportText.CheckName(c))).Append("</strong></td><td><code>").Append(E(c.Expression)).Append("</code></td>");
            Num(html, ReportText.Count(c.Passed));
            Num(html, ReportText.Count(c.Failed));
            Num(html, c.Passed + c.Failed == 0 ? "not run" : ReportText.Percent(c.PassRate * 100));
            html.Append("</tr>\n");
        }

        html.Append("</tbody></table></div>\n</section>\n");
    }
}
