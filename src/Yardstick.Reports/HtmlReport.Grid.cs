using System.Globalization;
using System.Text;
using Yardstick.Core.Summaries;

namespace Yardstick.Reports;

/// <summary>
/// The heat map of a grid sweep: one table per combination of the grid's third and later parameters, rows the first
/// parameter's values, columns the second's; each cell shows p95 (its colour, green fastest to red slowest across
/// the whole grid) and cost per 1M requests, the recommended cell outlined.
/// </summary>
public static partial class HtmlReport
{
    private static void GridHeatMap(StringBuilder html, RunSummary run)
    {
        if (run.SweepGrid.Count < 2)
        {
            return;
        }

        var rows = run.SweepGrid[0];
        var columns = run.SweepGrid[1];
        var rest = run.SweepGrid.Skip(2).ToList();
        var measured = run.Variants.Where(v => v.Requests > 0).ToList();
        var fastest = measured.Count > 0 ? measured.Min(v => v.LatencyMs.P95) : 0;
        var slowest = measured.Count > 0 ? measured.Max(v => v.LatencyMs.P95) : 0;

        html.Append("<figure class=\"chart heatmap\" data-chart=\"heatmap\">\n");
        foreach (var slice in run.Variants.GroupBy(v => string.Join(", ", rest.Select(p => p + " = " + Setting(v, p)))))
        {
            var cells = slice.ToList();
            var rowValues = cells.Select(v => Setting(v, rows)).Distinct().ToList();
            var columnValues = cells.Select(v => Setting(v, columns)).Distinct().ToList();
            html.Append("<div class=\"table-wrap\"><table class=\"heatmap\">\n");
            if (slice.Key.Length > 0)
            {
                html.Append("<caption>").Append(E(slice.Key)).Append("</caption>\n");
            }

            html.Append("<thead><tr><th><code>").Append(E(rows)).Append("</code> ↓ <code>").Append(E(columns)).Append("</code> →</th>");
            foreach (var column in columnValues)
            {
                html.Append("<th class=\"num\">").Append(E(column)).Append("</th>");
            }

            html.Append("</tr></thead>\n<tbody>\n");
            foreach (var row in rowValues)
            {
                html.Append("<tr><th>").Append(E(row)).Append("</th>");
                foreach (var column in columnValues)
                {
                    var cell = cells.FirstOrDefault(v => Setting(v, rows) == row && Setting(v, columns) == column);
                    HeatCell(html, cell, fastest, slowest);
                }

                html.Append("</tr>\n");
            }

            html.Append("</tbody></table></div>\n");
        }

        html.Append("<figcaption>p95 latency per cell (green: fastest of the grid, red: slowest) and modeled cost per 1M requests; ")
            .Append("the recommended cell is outlined, ★ marks the Pareto front over cost and p95.</figcaption>\n</figure>\n");
    }

    private static void HeatCell(StringBuilder html, VariantSummary? cell, double fastest, double slowest)
    {
        if (cell is null || cell.Requests == 0)
        {
            html.Append("<td class=\"num heat-none\">not measured</td>");
            return;
        }

        // Hue 120 (green) at the fastest p95 down to 0 (red) at the slowest, on a log scale: latencies span decades.
        var span = Math.Log(Math.Max(slowest, 1e-3)) - Math.Log(Math.Max(fastest, 1e-3));
        var position = span > 0 ? (Math.Log(Math.Max(cell.LatencyMs.P95, 1e-3)) - Math.Log(Math.Max(fastest, 1e-3))) / span : 0;
        var hue = (120 * (1 - Math.Clamp(position, 0, 1))).ToString("0", CultureInfo.InvariantCulture);
        html.Append("<td class=\"num heat").Append(cell.Recommended ? " heat-recommended" : "").Append("\" style=\"background: hsl(").Append(hue).Append(", 70%, 82%)\" ")
            .Append("data-variant=\"").Append(E(cell.Variant)).Append("\" data-p95=\"").Append(cell.LatencyMs.P95.ToString("0.###", CultureInfo.InvariantCulture)).Append("\">")
            .Append("<strong>").Append(E(ReportText.Ms(cell.LatencyMs.P95))).Append("</strong>").Append(cell.OnParetoFront ? " ★" : "")
            .Append("<br><small>").Append(cell.Per1MRequestsUsd is { } usd ? E(ReportText.Usd(usd)) + " / 1M" : "no cost")
            .Append(cell.ErrorRate > 0 ? " · " + E(ReportText.Percent(cell.ErrorRate * 100)) + " errors" : "").Append("</small></td>");
    }

    private static string Setting(VariantSummary variant, string parameter) => variant.Settings.TryGetValue(parameter, out var value) ? value : "?";
}
