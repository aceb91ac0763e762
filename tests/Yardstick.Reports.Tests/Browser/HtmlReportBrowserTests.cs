using System.Text.Json;
using Xunit.Abstractions;
using Yardstick.Testing.Browser;
using Yardstick.Reports;

namespace Yardstick.Reports.Tests.Browser;

/// <summary>
/// The HTML report opened in headless Chromium (Debian's <c>chromium</c>, installed by <c>.ci/run</c>): it renders,
/// every chart holds drawn SVG, nothing overflows sideways, and the console stays free of errors. A full-page
/// screenshot is kept under the test output folder (<c>TestResults/</c>).
/// </summary>
public sealed class HtmlReportBrowserTests(ITestOutputHelper output)
{
    private const string ChartCheck = """
        (() => {
          const charts = {};
          for (const name of ['percentiles', 'timeline', 'errors', 'server-azure-scale', 'server-azure-resources']) {
            const wrapper = document.querySelector('[data-chart="' + name + '"]');
            charts[name] = wrapper === null ? null : [...wrapper.querySelectorAll('svg')].map(svg => {
              const box = svg.getBoundingClientRect();
              let drawn = 0, texts = 0;
              for (const el of svg.querySelectorAll('path, polyline, line, rect')) {
                const b = el.getBBox();
                if (b.width > 0 || b.height > 0) drawn++;
              }
              for (const t of svg.querySelectorAll('text')) {
                const b = t.getBBox();
                if (b.width > 0 && b.height > 0) texts++;
              }
              return { width: box.width, height: box.height, drawn, texts };
            });
          }
          const root = document.documentElement;
          return { charts, title: document.title, scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, height: root.scrollHeight };
        })()
        """;

    [SkippableTheory]
    [InlineData("regression")]
    [InlineData("failed")]
    public async Task Render_OpenedInHeadlessChromium_DrawsChartsWithoutConsoleErrors(string fixture)
    {
        var page = await BrowseAsync(HtmlReport.Render(MarkdownReportTests.Fixture(fixture)), "report-screenshot-" + fixture);

        var state = page.State;
        Assert.Contains("checkout-api", state.GetProperty("title").GetString(), StringComparison.Ordinal);
        foreach (var chart in HtmlReportTests.Charts)
        {
            var svgs = state.GetProperty("charts").GetProperty(chart);
            Assert.True(svgs.ValueKind == JsonValueKind.Array && svgs.GetArrayLength() > 0, $"{chart}: no svg in its wrapper");
            foreach (var svg in svgs.EnumerateArray())
            {
                Assert.True(svg.GetProperty("width").GetDouble() > 0 && svg.GetProperty("height").GetDouble() > 0, $"{chart}: zero-sized svg {svg}");
                Assert.True(svg.GetProperty("drawn").GetInt32() > 0, $"{chart}: nothing drawn {svg}");
                Assert.True(svg.GetProperty("texts").GetInt32() > 0, $"{chart}: no visible text {svg}");
            }
        }

        Assert.True(state.GetProperty("scrollWidth").GetInt32() <= state.GetProperty("clientWidth").GetInt32(), $"page overflows sideways: {state}");
        Assert.Empty(page.Problems);
    }

    [SkippableFact]
    public async Task Render_AzureMonitorServerMetrics_DrawsBothMinuteChartsWithoutConsoleErrors()
    {
        var page = await BrowseAsync(HtmlReport.Render(ServerMetricsReportTests.WithAzureMonitorMetrics()), "report-screenshot-azure-server");

        foreach (var chart in new[] { "server-azure-scale", "server-azure-resources" })
        {
            var svg = Assert.Single(page.State.GetProperty("charts").GetProperty(chart).EnumerateArray());
            Assert.True(svg.GetProperty("width").GetDouble() > 0 && svg.GetProperty("height").GetDouble() > 0, $"{chart}: zero-sized svg {svg}");
            Assert.True(svg.GetProperty("drawn").GetInt32() > 0, $"{chart}: nothing drawn {svg}");
            Assert.True(svg.GetProperty("texts").GetInt32() > 0, $"{chart}: no visible text {svg}");
        }

        Assert.True(page.State.GetProperty("scrollWidth").GetInt32() <= page.State.GetProperty("clientWidth").GetInt32(), $"page overflows sideways: {page.State}");
        Assert.Empty(page.Problems);
    }

    /// <summary>Negative control: the harness does see console errors and uncaught exceptions when a page has them.</summary>
    [SkippableFact]
    public async Task BrowseAsync_PageWithErrors_ReportsThem()
    {
        const string broken = """
            <!DOCTYPE html><html><head><title>broken</title></head><body>
            <script>console.error("deliberate console error");</script>
            <script>throw new Error("deliberate exception");</script>
            <div data-chart="percentiles"><svg width="10" height="10"><text x="1, 2, ">a</text></svg></div>
            </body></html>
            """;

        var page = await BrowseAsync(broken, "control-screenshot");

        Assert.Contains(page.Problems, p => p.Contains("deliberate console error", StringComparison.Ordinal));
        Assert.Contains(page.Problems, p => p.Contains("deliberate exception", StringComparison.Ordinal));
        Assert.Equal(JsonValueKind.Null, page.State.GetProperty("charts").GetProperty("errors").ValueKind);
    }

    /// <summary>Opens <paramref name="html"/> from a temp file in a fresh headless Chromium and reports what the page shows.</summary>
    private async Task<BrowsedPage> BrowseAsync(string html, string screenshotName)
    {
        var executable = HeadlessChromium.FindExecutable();
        // In CI a missing browser is a broken set-up, not a reason to pass quietly.
        Assert.False(executable is null && string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase), BrowserPage.MissingChromium);
        Skip.If(executable is null, BrowserPage.MissingChromium);
        var folder = Directory.CreateTempSubdirectory("yardstick-report-");
        try
        {
            var file = Path.Combine(folder.FullName, "report.html");
            await File.WriteAllTextAsync(file, html);
            return await BrowserPage.OpenAsync(executable!, file, ChartCheck, screenshotName, output.WriteLine);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
