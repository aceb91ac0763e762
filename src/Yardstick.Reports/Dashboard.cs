using System.Globalization;
using System.Net;
using System.Text;
using Yardstick.Core.Trends;

namespace Yardstick.Reports;

/// <summary>One workload on the dashboard's overview: its trend and where its own page is.</summary>
/// <param name="Trend">The workload's trend (every metric, the window the dashboard shows).</param>
/// <param name="Href">Link to the workload's page, relative to the overview.</param>
public sealed record DashboardWorkload(TrendReport Trend, string Href);

/// <summary>
/// The nightly-watch dashboard as self-contained HTML pages (inline CSS and SVG, no scripts, no fonts or images from
/// anywhere): an overview of every workload — the newest run and its verdict, sparklines of p95 and cost per 1M
/// requests, the newest change point — and a page per workload with a chart per metric over time (change points,
/// baseline promotions and failed runs marked) and the recent runs linking to their reports. Built from
/// <see cref="TrendReport"/>s, so it shows exactly what <c>yardstick trend</c> and <c>GET /api/workloads/{name}/trend</c>
/// read: one bounded Runs-table window per workload, never a full scan.
/// </summary>
public static class Dashboard
{
    /// <summary>Recent runs listed on a workload's page.</summary>
    public const int RecentRuns = 30;

    /// <summary>Above this many points a chart draws its line only, without a dot per run.</summary>
    public const int MaxDots = 400;

    private const string Style = """
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1f2328;background:#f6f8fa}
        header{background:#24292f;color:#fff;padding:14px 24px}header h1{margin:0;font-size:20px}header p{margin:4px 0 0;color:#c9d1d9}
        main{padding:16px 24px;max-width:1180px}
        table{border-collapse:collapse;width:100%;background:#fff;border:1px solid #d0d7de}
        th,td{padding:6px 10px;border-bottom:1px solid #d0d7de;text-align:left;vertical-align:middle}td.spark{white-space:nowrap}
        th{background:#f6f8fa;font-weight:600}
        a{color:#0969da;text-decoration:none}a:hover{text-decoration:underline}
        .badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;background:#eaeef2}
        .v-regression,.s-failed,.a-worse{background:#ffebe9;color:#a40e26}.v-improvement,.a-better{background:#dafbe1;color:#116329}
        .v-equivalent{background:#ddf4ff;color:#0550ae}.v-inconclusive,.s-degraded{background:#fff8c5;color:#7d4e00}
        .charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(540px,1fr));gap:16px;margin:16px 0}
        figure{margin:0;background:#fff;border:1px solid #d0d7de;padding:8px 12px}figcaption{font-weight:600;margin-bottom:4px}
        .note{color:#57606a;font-size:13px}svg text{font-size:11px;fill:#57606a}
        """;

    /// <summary>The overview page: one row per workload, sorted by name.</summary>
    public static string RenderOverview(IReadOnlyList<DashboardWorkload> workloads, DateTimeOffset generatedAt)
    {
        ArgumentNullException.ThrowIfNull(workloads);
        var html = Start("Yardstick — nightly watch", $"{workloads.Count} workload(s) · generated {Utc(generatedAt)}");
        html.Append("<table>\n<thead><tr><th>Workload</th><th>Newest run</th><th>Verdict</th><th>p95</th><th>Cost per 1M</th><th>Newest change point</th></tr></thead>\n<tbody>\n");
        foreach (var workload in workloads.OrderBy(w => w.Trend.Workload, StringComparer.Ordinal))
        {
            var trend = workload.Trend;
            var latest = trend.Runs.Count > 0 ? trend.Runs[^1] : null;
            var key = latest?.SettingsKey;
            var p95 = Series(trend, "p95", key);
            var cost = Series(trend, "costPer1M", key);
            html.Append("<tr data-workload=\"").Append(E(trend.Workload)).Append("\"><td><a href=\"").Append(E(workload.Href)).Append("\">").Append(E(trend.Workload)).Append("</a></td><td>");
            html.Append(latest is null ? "never ran" : $"{E(latest.RunId)} <span class=\"badge s-{E(latest.Status)}\">{E(latest.Status)}</span>").Append("</td><td>");
            html.Append(latest?.Verdict is { } verdict ? $"<span class=\"badge v-{E(verdict)}\">{E(verdict)}</span>" : "—").Append("</td><td class=\"spark\">");
            Sparkline(html, p95, trend, "p95");
            html.Append("</td><td class=\"spark\">");
            Sparkline(html, cost, trend, "costPer1M");
            html.Append("</td><td>").Append(ChangeText(NewestChange(trend, key))).Append("</td></tr>\n");
        }

        html.Append("</tbody></table>\n<p class=\"note\">Sparklines: the newest run's settings over the trend's window; the newest change point is found by E-divisive means over the gated metrics.</p>\n");
        return End(html);
    }

    /// <summary>One workload's page: a chart per metric that has points, then its recent runs.</summary>
    /// <param name="trend">The workload's trend (every metric).</param>
    /// <param name="reportHref">Link to a run's report, or null when it has none to link to.</param>
    /// <param name="overviewHref">Link back to the overview.</param>
    public static string RenderWorkload(TrendReport trend, Func<string, string?> reportHref, string overviewHref)
    {
        ArgumentNullException.ThrowIfNull(trend);
        ArgumentNullException.ThrowIfNull(reportHref);
        var failed = trend.Runs.Count(r => r.Status == "failed");
        var html = Start(
            $"{trend.Workload} — Yardstick",
            $"{trend.RunsRead} run(s) in the last {trend.Days} days, {failed} failed" + (trend.Truncated ? " (the oldest left out)" : "") + $" · generated {Utc(trend.To)}");
        html.Append("<p><a href=\"").Append(E(overviewHref)).Append("\">← all workloads</a></p>\n<div class=\"charts\">\n");
        foreach (var series in trend.Series.Where(s => s.Points.Count > 0))
        {
            Chart(html, trend, series);
        }

        html.Append("</div>\n<p class=\"note\">Dashed lines: change points (E-divisive means). ▲ baseline promotions. Red ticks under the axis: failed runs.</p>\n");
        html.Append("<h2>Recent runs</h2>\n<table>\n<thead><tr><th>Run</th><th>When (UTC)</th><th>Status</th><th>Verdict</th><th>Settings</th><th>Drift</th></tr></thead>\n<tbody>\n");
        foreach (var run in trend.Runs.Reverse().Take(RecentRuns))
        {
            var href = reportHref(run.RunId);
            html.Append("<tr><td>").Append(href is null ? E(run.RunId) : $"<a href=\"{E(href)}\">{E(run.RunId)}</a>").Append("</td><td>")
                .Append(Utc(run.At)).Append("</td><td><span class=\"badge s-").Append(E(run.Status)).Append("\">").Append(E(run.Status)).Append("</span></td><td>")
                .Append(run.Verdict is { } v ? $"<span class=\"badge v-{E(v)}\">{E(v)}</span>" : "—").Append("</td><td>")
                .Append(E(run.SettingsKey)).Append("</td><td>").Append(E(run.Drift ?? "")).Append("</td></tr>\n");
        }

        html.Append("</tbody></table>\n");
        return End(html);
    }

    private static TrendSeries? Series(TrendReport trend, string metric, string? settingsKey) =>
        trend.Series.FirstOrDefault(s => s.Metric == metric && (settingsKey is null || s.SettingsKey == settingsKey))
        ?? trend.Series.FirstOrDefault(s => s.Metric == metric);

    private static (TrendSeries Series, TrendChangePoint Point)? NewestChange(TrendReport trend, string? settingsKey) =>
        trend.Series
            .Where(s => settingsKey is null || s.SettingsKey == settingsKey)
            .SelectMany(s => s.ChangePoints.Select(p => (Series: s, Point: p)))
            .OrderByDescending(c => c.Point.At)
            .Select(c => ((TrendSeries, TrendChangePoint)?)c)
            .FirstOrDefault();

    private static string ChangeText((TrendSeries Series, TrendChangePoint Point)? change)
    {
        if (change is not { } c)
        {
            return "none";
        }

        var worse = c.Series.HigherIsBetter ? c.Point.After < c.Point.Before : c.Point.After > c.Point.Before;
        var size = c.Point.Relative ? string.Create(CultureInfo.InvariantCulture, $"{c.Point.Change * 100:+0.0;-0.0} %") : Value(c.Point.Change, c.Series.Unit);
        return $"<span class=\"badge {(worse ? "a-worse" : "a-better")}\">{E(c.Series.Metric)} {E(size)}</span> at {E(c.Point.RunId)} ({c.Point.At.UtcDateTime:yyyy-MM-dd})";
    }

    /// <summary>A 160 × 32 sparkline of a series, or a dash.</summary>
    private static void Sparkline(StringBuilder html, TrendSeries? series, TrendReport trend, string metric)
    {
        if (series is not { Points.Count: > 0 })
        {
            html.Append('—');
            return;
        }

        const double Width = 160, Height = 32;
        var (min, max) = Range(series);
        html.Append(CultureInfo.InvariantCulture, $"<svg data-spark=\"{E(metric)}\" data-points=\"{series.Points.Count}\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" role=\"img\"><title>{E(metric)}: newest {E(Value(series.Latest ?? 0, series.Unit))}</title>");
        html.Append("<polyline fill=\"none\" stroke=\"#0969da\" stroke-width=\"1.5\" points=\"");
        foreach (var point in series.Points)
        {
            html.Append(CultureInfo.InvariantCulture, $"{X(point.At, trend, 2, Width - 2):0.#},{Y(point.Value, min, max, 3, Height - 3):0.#} ");
        }

        html.Append("\"/></svg> ").Append(E(Value(series.Latest ?? 0, series.Unit)));
    }

    /// <summary>A 540 × 170 chart of one series: the line, dots (up to <see cref="MaxDots"/>), change points, promotions, failed runs.</summary>
    private static void Chart(StringBuilder html, TrendReport trend, TrendSeries series)
    {
        const double Width = 540, Height = 170, Left = 56, Right = 10, Top = 10, Bottom = 150;
        var (min, max) = Range(series);
        var name = series.SettingsKey == "default" ? series.Metric : $"{series.Metric} · {series.SettingsKey}";
        html.Append("<figure><figcaption>").Append(E(name)).Append(" <span class=\"note\">(").Append(E(series.Unit)).Append(series.HigherIsBetter ? ", higher is better" : ", lower is better")
            .Append(")</span> <span class=\"badge a-").Append(E(series.Assessment)).Append("\">").Append(E(series.Assessment)).Append("</span></figcaption>\n");
        html.Append(CultureInfo.InvariantCulture, $"<svg data-chart=\"{E(series.Metric)}\" data-settings=\"{E(series.SettingsKey)}\" data-points=\"{series.Points.Count}\" data-change-points=\"{series.ChangePoints.Count}\" width=\"{Width}\" height=\"{Height + 12}\" viewBox=\"0 0 {Width} {Height + 12}\" role=\"img\"><title>{E(name)} over {trend.Days} days</title>\n");
        html.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Bottom}\" x2=\"{Width - Right}\" y2=\"{Bottom}\" stroke=\"#d0d7de\"/><line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Bottom}\" stroke=\"#d0d7de\"/>\n");
        html.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 4}\" y=\"{Top + 8}\" text-anchor=\"end\">{E(Value(max, series.Unit))}</text><text x=\"{Left - 4}\" y=\"{Bottom}\" text-anchor=\"end\">{E(Value(min, series.Unit))}</text>\n");
        var (from, to) = Extent(trend);
        html.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"{Height + 10}\">{AxisLabel(from, trend)}</text><text x=\"{Width - Right}\" y=\"{Height + 10}\" text-anchor=\"end\">{AxisLabel(to, trend)}</text>\n");
        foreach (var change in series.ChangePoints)
        {
            var x = X(change.At, trend, Left, Width - Right);
            html.Append(CultureInfo.InvariantCulture, $"<line class=\"change\" x1=\"{x:0.#}\" y1=\"{Top}\" x2=\"{x:0.#}\" y2=\"{Bottom}\" stroke=\"#cf222e\" stroke-dasharray=\"4 3\"><title>change point at {E(change.RunId)}: {E(Value(change.Before, series.Unit))} → {E(Value(change.After, series.Unit))}</title></line>\n");
        }

        foreach (var promotion in trend.Promotions.Where(p => p.SettingsKey == series.SettingsKey))
        {
            var x = X(promotion.At, trend, Left, Width - Right);
            html.Append(CultureInfo.InvariantCulture, $"<path class=\"promotion\" d=\"M{x - 5:0.#},{Bottom + 10} L{x + 5:0.#},{Bottom + 10} L{x:0.#},{Bottom + 2} Z\" fill=\"#8250df\"><title>baseline promoted: {E(string.Join(", ", promotion.RunIds))}</title></path>\n");
        }

        foreach (var run in trend.Runs.Where(r => r.Status == "failed" && r.SettingsKey == series.SettingsKey))
        {
            var x = X(run.At, trend, Left, Width - Right);
            html.Append(CultureInfo.InvariantCulture, $"<line class=\"failed\" x1=\"{x:0.#}\" y1=\"{Bottom + 1}\" x2=\"{x:0.#}\" y2=\"{Bottom + 9}\" stroke=\"#cf222e\" stroke-width=\"2\"><title>failed: {E(run.RunId)}</title></line>\n");
        }

        html.Append("<polyline fill=\"none\" stroke=\"#0969da\" stroke-width=\"1.5\" points=\"");
        foreach (var point in series.Points)
        {
            html.Append(CultureInfo.InvariantCulture, $"{X(point.At, trend, Left, Width - Right):0.#},{Y(point.Value, min, max, Top, Bottom):0.#} ");
        }

        html.Append("\"/>\n");
        if (series.Points.Count <= MaxDots)
        {
            foreach (var point in series.Points)
            {
                html.Append(CultureInfo.InvariantCulture, $"<circle class=\"pt\" cx=\"{X(point.At, trend, Left, Width - Right):0.#}\" cy=\"{Y(point.Value, min, max, Top, Bottom):0.#}\" r=\"2\" fill=\"#0969da\"><title>{E(point.RunId)}: {E(Value(point.Value, series.Unit))}</title></circle>");
            }
        }

        html.Append("\n</svg></figure>\n");
    }

    /// <summary>
    /// The value range a chart spans: the series' own, widened to at least ±5 % around its middle, so run-to-run noise
    /// of a few percent does not fill the chart's height and look like a trend.
    /// </summary>
    private static (double Min, double Max) Range(TrendSeries series)
    {
        var min = series.Points.Min(p => p.Value);
        var max = series.Points.Max(p => p.Value);
        if (min >= 0 && max == 0)
        {
            return (0, series.Unit == "fraction" ? 0.01 : 1); // all zero (an error rate that never moved): no negative axis
        }

        var middle = (min + max) / 2;
        var half = Math.Max((max - min) / 2, Math.Abs(middle) * 0.05);
        var low = half > 0 ? middle - half : middle - 1;
        var high = half > 0 ? middle + half : middle + 1;
        // Latencies, rates and costs are never negative: the widening stops at zero.
        return min >= 0 && low < 0 ? (0, high - low) : (low, high);
    }

    private static double X(DateTimeOffset at, TrendReport trend, double left, double right)
    {
        var (from, to) = Extent(trend);
        var span = (to - from).TotalSeconds;
        var share = span > 0 ? Math.Clamp((at - from).TotalSeconds / span, 0, 1) : 1;
        return left + (share * (right - left));
    }

    /// <summary>
    /// The time a chart spans: from the oldest to the newest run read (the history's own extent inside the window, so a
    /// workload with a few weeks of nights, or runs minutes apart, is not squeezed against the right edge of 90 days);
    /// the whole window when fewer than two runs, or all at one instant, were read.
    /// </summary>
    private static (DateTimeOffset From, DateTimeOffset To) Extent(TrendReport trend)
    {
        if (trend.Runs.Count < 2)
        {
            return (trend.From, trend.To);
        }

        var from = trend.Runs.Min(r => r.At);
        var to = trend.Runs.Max(r => r.At);
        return to > from ? (from, to) : (trend.From, trend.To);
    }

    /// <summary>An axis label: the date, with the time of day when the chart spans less than two days.</summary>
    private static string AxisLabel(DateTimeOffset at, TrendReport trend)
    {
        var (from, to) = Extent(trend);
        return at.UtcDateTime.ToString(to - from < TimeSpan.FromDays(2) ? "yyyy-MM-dd HH:mm" : "yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    private static double Y(double value, double min, double max, double top, double bottom) =>
        bottom - ((value - min) / (max - min) * (bottom - top));

    private static string Value(double value, string unit) => unit switch
    {
        "ms" => value.ToString(value >= 100 ? "0" : "0.0#", CultureInfo.InvariantCulture) + " ms",
        "fraction" => (value * 100).ToString("0.###", CultureInfo.InvariantCulture) + " %",
        "USD" => value.ToString("0.00##", CultureInfo.InvariantCulture) + " USD",
        _ => value.ToString("0.#", CultureInfo.InvariantCulture) + " " + unit,
    };

    private static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static StringBuilder Start(string title, string subtitle) =>
        new StringBuilder(16 * 1024)
            .Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n<meta name=\"referrer\" content=\"no-referrer\">\n")
            .Append("<title>").Append(E(title)).Append("</title>\n<style>").Append(Style).Append("</style>\n</head>\n<body>\n<header><h1>")
            .Append(E(title)).Append("</h1><p>").Append(E(subtitle)).Append("</p></header>\n<main>\n");

    private static string End(StringBuilder html) => html.Append("</main>\n</body>\n</html>\n").ToString();

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? "");
}
