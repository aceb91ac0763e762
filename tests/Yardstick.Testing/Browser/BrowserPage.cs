using System.Diagnostics;
using System.Text.Json;

namespace Yardstick.Testing.Browser;

/// <summary>What a page showed: the state script's answer, console problems, and where its screenshot is.</summary>
public sealed record BrowsedPage(JsonElement State, IReadOnlyList<string> Problems, string Screenshot);

/// <summary>
/// Opens a local HTML file in a fresh headless Chromium (1200 px wide), waits for the load event, evaluates a state
/// script, takes a full-page screenshot under the test output folder (<c>TestResults/</c>) and collects every console
/// error, assertion, uncaught exception and error-level log entry.
/// </summary>
public static class BrowserPage
{
    public const string MissingChromium = "Chromium not found at /usr/bin/chromium: install Debian's chromium (scripts/test.sh does) or set YARDSTICK_CHROMIUM.";

    /// <param name="executable">Chromium (<see cref="HeadlessChromium.FindExecutable"/>).</param>
    /// <param name="file">The HTML file to open.</param>
    /// <param name="stateScript">A JavaScript expression whose value (JSON) is returned; it must have a numeric <c>height</c>.</param>
    /// <param name="screenshotName">File name of the screenshot, without extension.</param>
    /// <param name="log">Where progress lines go (the test output).</param>
    public static async Task<BrowsedPage> OpenAsync(string executable, string file, string stateScript, string screenshotName, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(log);
        // A liveness bound, not a timing assertion: on a loaded 2-core machine Chromium alone takes ~10 s to listen.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var cancellationToken = timeout.Token;
        var clock = Stopwatch.StartNew();
        await using var chromium = await HeadlessChromium.LaunchAsync(executable, cancellationToken);
        log($"chromium {chromium.ProcessId} listening after {clock.Elapsed.TotalSeconds:F1} s");
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
        if (navigation.TryGetProperty("errorText", out var navigationError))
        {
            throw new InvalidOperationException("navigation failed: " + navigationError);
        }

        await loaded;
        log($"page loaded after {clock.Elapsed.TotalSeconds:F1} s");
        var state = await cdp.EvaluateAsync(stateScript, page, cancellationToken);
        var screenshot = await ScreenshotAsync(cdp, page, state.GetProperty("height").GetInt32(), screenshotName, cancellationToken);
        log($"screenshot after {clock.Elapsed.TotalSeconds:F1} s: {screenshot}");
        log($"page: {state}");
        var problems = ConsoleProblems(cdp.Events).ToList();
        foreach (var problem in problems)
        {
            log("console: " + problem);
        }

        return new BrowsedPage(state.Clone(), problems, screenshot);
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
