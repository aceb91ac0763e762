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
          for (const name of ['percentiles', 'timeline', 'errors']) {
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

    private sealed record PageResult(JsonElement State, IReadOnlyList<string> Problems, string Screenshot);

    /// <summary>Opens <paramref name="html"/> from a temp file in a fresh headless Chromium and reports what the page shows.</summary>
    private async Task<PageResult> BrowseAsync(string html, string screenshotName)
    {
        var executable = HeadlessChromium.FindExecutable();
        const string missing = "Chromium not found at /usr/bin/chromium: install Debian's chromium (scripts/test.sh does) or set YARDSTICK_CHROMIUM.";
        // In CI a missing browser is a broken set-up, not a reason to pass quietly.
        Assert.False(executable is null && string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase), missing);
        Skip.If(executable is null, missing);
        // A liveness bound, not a timing assertion: on a loaded 2-core machine Chromium alone takes ~10 s to listen.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var cancellationToken = timeout.Token;
        var folder = Directory.CreateTempSubdirectory("yardstick-report-");
        try
        {
            var file = Path.Combine(folder.FullName, "report.html");
            await File.WriteAllTextAsync(file, html, cancellationToken);

            await using var chromium = await HeadlessChromium.LaunchAsync(executable!, cancellationToken);
            output.WriteLine($"chromium {chromium.ProcessId} listening after {clock.Elapsed.TotalSeconds:F1} s");
            await using var cdp = await CdpSession.ConnectAsync(chromium.DevToolsUrl, cancellationToken);
            var target = await cdp.SendAsync("Target.createTarget", new { url = "about:blank" }, cancellationToken: cancellationToken);
            var attached = await cdp.SendAsync("Target.attachToTarget", new { targetId = target.GetProperty("targetId").GetString(), flatten = true }, cancellationToken: cancellationToken);
            var page = attached.GetProperty("sessionId").GetString()!;
            foreach (var domain in new[] { "Page.enable", "Runtime.enable", "Log.enable" })
            {
                await cdp.SendAsync(domain, sessionId: page, cancellationToken: cancellationToken);
            }

            await cdp.SendAsync("Emulation.setDeviceMetricsOverride", new { width = 1200, height = 900, deviceScaleFactor = 1, mobile = false }, page, cancellationToken);
            var loaded = cdp.WaitForEventAsync("Page.loadEventFired", page, cancellationToken);
            var navigation = await cdp.SendAsync("Page.navigate", new { url = new Uri(file).AbsoluteUri }, page, cancellationToken);
            Assert.False(navigation.TryGetProperty("errorText", out var navigationError), "navigation failed: " + navigationError);
            await loaded;
            output.WriteLine($"page loaded after {clock.Elapsed.TotalSeconds:F1} s");

            var state = await cdp.EvaluateAsync(ChartCheck, page, cancellationToken);
            var screenshot = await ScreenshotAsync(cdp, page, state.GetProperty("height").GetInt32(), screenshotName, cancellationToken);
            output.WriteLine($"screenshot after {clock.Elapsed.TotalSeconds:F1} s: {screenshot}");
            output.WriteLine($"page: {state}");

            var problems = ConsoleProblems(cdp.Events).ToList();
            foreach (var problem in problems)
            {
                output.WriteLine("console: " + problem);
            }

            return new PageResult(state.Clone(), problems, screenshot);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>Console errors, assertions, uncaught exceptions and error-level log entries (resource or SVG attribute errors).</summary>
    private static IEnumerable<string> ConsoleProblems(IReadOnlyList<CdpEvent> events)
    {
        foreach (var e in events)
        {
            switch (e.Method)
            {
                case "Runtime.consoleAPICalled" when e.Params.GetProperty("type").GetString() is "error" or "assert":
                    yield return "console." + e.Params.GetProperty("type").GetString() + ": " + e.Params.GetProperty("args");
                    break;
                case "Runtime.exceptionThrown":
                    yield return "exception: " + e.Params.GetProperty("exceptionDetails");
                    break;
                case "Log.entryAdded" when e.Params.GetProperty("entry").GetProperty("level").GetString() == "error":
                    yield return "log: " + e.Params.GetProperty("entry");
                    break;
                default:
                    break;
            }
        }
    }

    private static async Task<string> ScreenshotAsync(CdpSession cdp, string page, int height, string name, CancellationToken cancellationToken)
    {
        // The whole page in one picture: the viewport grows to the document's height (bounded for safety).
        await cdp.SendAsync("Emulation.setDeviceMetricsOverride", new { width = 1200, height = Math.Clamp(height, 600, 12_000), deviceScaleFactor = 1, mobile = false }, page, cancellationToken);
        var shot = await cdp.SendAsync("Page.captureScreenshot", new { format = "png", captureBeyondViewport = true }, page, cancellationToken);
        var folder = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "TestResults"));
        var path = Path.Combine(folder.FullName, name + ".png");
        await File.WriteAllBytesAsync(path, Convert.FromBase64String(shot.GetProperty("data").GetString()!), cancellationToken);
        return path;
    }
}
