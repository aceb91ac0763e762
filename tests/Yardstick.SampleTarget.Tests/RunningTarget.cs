using System.Globalization;
using System.Text.RegularExpressions;

namespace Yardstick.SampleTarget.Tests;

/// <summary>
/// A real sample target on a free loopback port plus a client for it; each test gets its own, because the fail counter,
/// the stall and the concurrency limit are state of one app instance.
/// </summary>
internal sealed partial class RunningTarget : IAsyncDisposable
{
    private RunningTarget(SampleTargetHost host)
    {
        Host = host;
        // Unlimited connections per server (the default), so concurrent requests really run concurrently; the timeout is a
        // liveness bound only.
        Client = new HttpClient { BaseAddress = new Uri(host.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
    }

    public SampleTargetHost Host { get; }

    public HttpClient Client { get; }

    public static async Task<RunningTarget> StartAsync(SampleTargetOptions? options = null) =>
        new(await SampleTargetHost.StartAsync((options ?? new SampleTargetOptions()) with { Urls = "http://127.0.0.1:0" }));

    /// <summary>The <c>dur</c> of <c>Server-Timing: app;dur=…</c>, after checking the header is well-formed.</summary>
    public static double ServerDurationMs(HttpResponseMessage response)
    {
        Assert.True(response.Headers.TryGetValues("Server-Timing", out var values), "Server-Timing header missing");
        var value = Assert.Single(values);
        var match = ServerTimingPattern().Match(value);
        Assert.True(match.Success, $"Server-Timing '{value}' is not 'app;dur=<ms>'");
        return double.Parse(match.Groups["dur"].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    public static string InstanceId(HttpResponseMessage response)
    {
        Assert.True(response.Headers.TryGetValues("x-instance-id", out var values), "x-instance-id header missing");
        return Assert.Single(values);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
    }

    // The metric name and a non-negative duration in ms with at most 3 decimals (the app's "0.###" format, invariant culture).
    [GeneratedRegex(@"^app;dur=(?<dur>\d+(\.\d{1,3})?)$", RegexOptions.CultureInvariant)]
    private static partial Regex ServerTimingPattern();
}
