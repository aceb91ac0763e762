using System.Text.Json;
using Xunit.Abstractions;
using Yardstick.Core.Trends;
using Yardstick.Testing.Browser;

namespace Yardstick.Reports.Tests.Browser;

/// <summary>
/// The dashboard's pages, written as the static site <c>yardstick dashboard</c> makes, opened in headless Chromium: every
/// chart draws one vertex per run, change points and markers are there, links point at files of the site, nothing
/// overflows, the console stays clean. Screenshots land in <c>TestResults/</c> for review.
/// </summary>
public sealed class DashboardBrowserTests(ITestOutputHelper output)
{
    private const string PageCheck = """
        (() => {
          const charts = [...document.querySelectorAll('svg[data-chart]')].map(svg => ({
            metric: svg.dataset.chart,
            points: Number(svg.dataset.points),
            vertices: svg.querySelector('polyline').points.numberOfItems,
            dots: svg.querySelectorAll('circle.pt').length,
            changes: svg.querySelectorAll('line.change').length,
            width: svg.getBoundingClientRect().width,
          }));
          const sparks = [...document.querySelectorAll('svg[data-spark]')].map(svg => ({
            metric: svg.dataset.spark, points: Number(svg.dataset.points), vertices: svg.querySelector('polyline').points.numberOfItems,
          }));
          const links = [...document.querySelectorAll('a[href]')].map(a => a.href);
          const root = document.documentElement;
          return { title: document.title, charts, sparks, links, scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, height: root.scrollHeight };
        })()
        """;

    [SkippableFact]
    public async Task Site_OverviewAndWorkloadPage_RenderEveryRunWithMarksAndWorkingLinks()
    {
        var executable = HeadlessChromium.FindExecutable();
        Assert.False(executable is null && string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase), BrowserPage.MissingChromium);
        Skip.If(executable is null, BrowserPage.MissingChromium);
        var site = Directory.CreateTempSubdirectory("yardstick-dashboard-");
        try
        {
            var trend = Nights("checkout-api");
            Directory.CreateDirectory(Path.Combine(site.FullName, "workloads"));
            Directory.CreateDirectory(Path.Combine(site.FullName, "runs"));
            var newest = trend.Runs[^1].RunId;
            await File.WriteAllTextAsync(Path.Combine(site.FullName, "runs", newest + ".html"), "<!DOCTYPE html><title>report</title>");
            await File.WriteAllTextAsync(Path.Combine(site.FullName, "workloads", "checkout-api.html"), Dashboard.RenderWorkload(trend, id => id == newest ? $"../runs/{id}.html" : null, "../index.html"));
            await File.WriteAllTextAsync(Path.Combine(site.FullName, "index.html"), Dashboard.RenderOverview([new DashboardWorkload(trend, "workloads/checkout-api.html"), new DashboardWorkload(Nights("search-api", step: false), "workloads/checkout-api.html")], trend.To));

            var overview = await BrowserPage.OpenAsync(executable!, Path.Combine(site.FullName, "index.html"), PageCheck, "dashboard-overview", output.WriteLine);
            var page = await BrowserPage.OpenAsync(executable!, Path.Combine(site.FullName, "workloads", "checkout-api.html"), PageCheck, "dashboard-workload", output.WriteLine);

            var sparks = overview.State.GetProperty("sparks").EnumerateArray().ToList();
            Assert.Equal(4, sparks.Count); // p95 and cost for each of the two workloads
            Assert.All(sparks, s => Assert.Equal(s.GetProperty("points").GetInt32(), s.GetProperty("vertices").GetInt32()));
            Assert.Equal(89, sparks[0].GetProperty("points").GetInt32());
            var charts = page.State.GetProperty("charts").EnumerateArray().ToList();
            Assert.Equal(["p95", "costPer1M"], charts.Select(c => c.GetProperty("metric").GetString()));
            Assert.All(charts, c => Assert.Equal((89, 89, 89), (c.GetProperty("points").GetInt32(), c.GetProperty("vertices").GetInt32(), c.GetProperty("dots").GetInt32())));
            Assert.Equal(1, charts[0].GetProperty("changes").GetInt32());
            Assert.All(charts, c => Assert.True(c.GetProperty("width").GetDouble() > 0));
            foreach (var state in new[] { overview.State, page.State })
            {
                Assert.True(state.GetProperty("scrollWidth").GetInt32() <= state.GetProperty("clientWidth").GetInt32(), $"page overflows sideways: {state}");
                foreach (var link in state.GetProperty("links").EnumerateArray().Select(l => new Uri(l.GetString()!)))
                {
                    Assert.True(link.IsFile && File.Exists(link.LocalPath), $"{link} is not a file of the site");
                }
            }

            Assert.Contains(page.State.GetProperty("links").EnumerateArray(), l => l.GetString()!.EndsWith($"runs/{newest}.html", StringComparison.Ordinal));
            Assert.Empty(overview.Problems);
            Assert.Empty(page.Problems);
        }
        finally
        {
            site.Delete(recursive: true);
        }
    }

    /// <summary>90 nights of p95 (a 25 % step at night 60 when <paramref name="step"/>) and cost; night 30 failed; a promotion at night 70.</summary>
    private static TrendReport Nights(string workload, bool step = true)
    {
        var to = new DateTimeOffset(2026, 12, 6, 6, 0, 0, TimeSpan.Zero);
        var runs = Enumerable.Range(0, 90).Select(n => new TrendRun($"202609{n / 30 + 1:00}-0200{n % 30:00}-abc{n:000}", to.AddDays(-89.5 + n), n == 30 ? "failed" : "completed", n == 61 && step ? "regression" : "equivalent", "default", "0123456789abcdef", null)).ToList();
        var measured = runs.Where((_, n) => n != 30).ToList();
        var p95 = measured.Select((r, i) => new TrendPoint(r.RunId, r.At, (step && r.At >= runs[60].At ? 125 : 100) + (i % 4))).ToList();
        var cost = measured.Select(r => new TrendPoint(r.RunId, r.At, 0.42)).ToList();
        return new TrendReport
        {
            Workload = workload,
            From = to.AddDays(-90),
            To = to,
            Days = 90,
            RunsRead = 90,
            Runs = runs,
            Series =
            [
                new TrendSeries
                {
                    Metric = "p95", Unit = "ms", HigherIsBetter = false, SettingsKey = "default", Points = p95, Latest = p95[^1].Value,
                    ChangePoints = step ? [new TrendChangePoint(runs[60].RunId, runs[60].At, 59, 101.5, 126.5, 0.246, 0.2, 0.29, true, 0.001, 59, 30)] : [],
                    Direction = step ? "up" : "flat", Assessment = step ? "worse" : "unchanged",
                },
                new TrendSeries { Metric = "costPer1M", Unit = "USD", HigherIsBetter = false, SettingsKey = "default", Points = cost, Latest = 0.42 },
            ],
            Promotions = [new TrendPromotion("default", null, [runs[70].RunId], "current", runs[70].At.AddHours(1), "cli", "after the step")],
        };
    }
}
