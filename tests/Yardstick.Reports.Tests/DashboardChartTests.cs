using System.Globalization;
using System.Text.RegularExpressions;
using Yardstick.Core.Trends;

namespace Yardstick.Reports.Tests;

/// <summary>The dashboard's charts span the history they show, and a metric that never moved from zero has no negative axis.</summary>
public sealed partial class DashboardChartTests
{
    [Fact]
    public void RenderWorkload_RunsMinutesApart_SpanTheWholeChart_NotTheRightEdgeOfTheWindow()
    {
        var trend = History(TimeSpan.FromMinutes(1));

        var html = Dashboard.RenderWorkload(trend, _ => null, "../index.html");

        var xs = Xs(Chart(html, "p95"));
        Assert.Equal(24, xs.Count);
        Assert.InRange(xs[0], 55, 60);      // the oldest run at the left edge (Left = 56)
        Assert.InRange(xs[^1], 525, 531);   // the newest at the right (Width - Right = 530)
        Assert.Contains(">2026-12-06 02:00</text>", Chart(html, "p95"), StringComparison.Ordinal); // time of day when it spans hours
    }

    [Fact]
    public void RenderWorkload_NightsOverWeeks_LabelsDates_AndAZeroErrorRateStartsAtZero()
    {
        var trend = History(TimeSpan.FromDays(1));

        var html = Dashboard.RenderWorkload(trend, _ => null, "../index.html");

        Assert.Contains(">2026-12-06</text>", Chart(html, "p95"), StringComparison.Ordinal);
        var errors = Chart(html, "errorRate");
        Assert.DoesNotContain(">-", errors, StringComparison.Ordinal);
        Assert.Contains(">0 %</text>", errors, StringComparison.Ordinal);
        Assert.Contains(">1 %</text>", errors, StringComparison.Ordinal);
    }

    /// <summary>24 runs <paramref name="apart"/> from 2026-12-06 02:00: p95 creeping from 100 ms, error rate always 0.</summary>
    private static TrendReport History(TimeSpan apart)
    {
        var first = new DateTimeOffset(2026, 12, 6, 2, 0, 0, TimeSpan.Zero);
        var runs = Enumerable.Range(0, 24).Select(n => new TrendRun($"20261206-{n:000000}-abc{n:000}", first + (apart * n), "completed", "equivalent", "default", "0123456789abcdef", null)).ToList();
        return new TrendReport
        {
            Workload = "nightly",
            From = runs[^1].At.AddDays(-90),
            To = runs[^1].At.AddMinutes(1),
            Days = 90,
            RunsRead = runs.Count,
            Runs = runs,
            Series =
            [
                new TrendSeries { Metric = "p95", Unit = "ms", HigherIsBetter = false, SettingsKey = "default", Points = runs.Select((r, n) => new TrendPoint(r.RunId, r.At, 100 + n)).ToList(), Latest = 123 },
                new TrendSeries { Metric = "errorRate", Unit = "fraction", HigherIsBetter = false, SettingsKey = "default", Points = runs.Select(r => new TrendPoint(r.RunId, r.At, 0)).ToList(), Latest = 0 },
            ],
        };
    }

    private static string Chart(string html, string metric)
    {
        var start = html.IndexOf($"<svg data-chart=\"{metric}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no {metric} chart");
        return html[start..html.IndexOf("</svg>", start, StringComparison.Ordinal)];
    }

    private static List<double> Xs(string svg) =>
        PolylinePoints().Match(svg).Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => double.Parse(p.Split(',')[0], CultureInfo.InvariantCulture)).ToList();

    [GeneratedRegex("<polyline[^>]*points=\"([^\"]*)\"")]
    private static partial Regex PolylinePoints();
}
