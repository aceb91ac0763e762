using System.Text;
using Yardstick.Core.Faults;
using Yardstick.Core.Summaries;

namespace Yardstick.Reports;

/// <summary>The HTML report's fault table (a fault run): under the per-second charts, which mark each fault.</summary>
public static partial class HtmlReport
{
    private static void Faults(StringBuilder html, RunSummary run)
    {
        if (run.Faults is not { Count: > 0 } faults)
        {
            return;
        }

        html.Append("<h3 id=\"faults\">Faults</h3>\n")
            .Append("<div class=\"table-wrap\"><table>\n<thead><tr><th>Fault</th><th class=\"num\">Planned</th><th class=\"num\">Applied</th>")
            .Append("<th class=\"num\">Errors during</th><th class=\"num\">Peak p99</th><th class=\"num\">First success</th><th class=\"num\">Recovered</th><th>Note</th></tr></thead>\n<tbody>\n");
        foreach (var fault in faults)
        {
            html.Append("<tr><td><code>").Append(E($"[{fault.Index}] {fault.Description}")).Append("</code></td>");
            Num(html, FaultText.Offset(fault.PlannedOffsetSeconds));
            Num(html, FaultText.Offset(fault.AppliedOffsetSeconds));
            Num(html, FaultText.Errors(fault));
            Num(html, FaultText.Peak(fault));
            Num(html, FaultText.Duration(fault.TimeToFirstSuccessSeconds));
            html.Append("<td class=\"num\">").Append(fault.TimeToRecoverSeconds is null
                ? "<span class=\"badge r-fail\">" + E(FaultText.Recovery(fault)) + "</span>"
                : E(FaultText.Recovery(fault))).Append("</td>");
            html.Append("<td>").Append(E(FaultText.Note(fault) ?? "")).Append("</td></tr>\n");
        }

        html.Append("</tbody></table></div>\n<p class=\"note\">Offsets from the measured phase's start; the charts above mark each fault (amber: its span and when it was set off) and its recovery (green). ");
        if (faults.Select(f => f.Band).FirstOrDefault(b => b is not null) is { } band)
        {
            html.Append("Pre-fault band: ").Append(E(FaultText.Band(band))).Append(". ");
        }

        html.Append("Recovered: from the fault to the first second starting ").Append(RecoveryAnalysis.SustainSeconds)
            .Append(" seconds in a row back within the band (one-second resolution). First success: the fault step's own probe of the target's request, request level.</p>\n");
    }
}
