using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Yardstick.Core.Load.LocalTargets;
using Yardstick.Core.Workloads;
using Yardstick.SampleTarget;
using Yardstick.Testing;

namespace Yardstick.Core.Tests.Load.LocalTargets;

/// <summary>
/// Sweep variants of a local process target: the real sample target started as a child process (dotnet
/// Yardstick.SampleTarget.dll) on a free loopback port, restarted with YARDSTICK_EXTRA_LATENCY_MS in its environment.
/// </summary>
public sealed class LocalProcessTargetsTests : IDisposable
{
    private const string Variable = SampleTargetOptions.ExtraLatencyVariable;
    private readonly int _port = TestPorts.Reserve();
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
    private readonly LocalProcessTargets _targets = new(
        new LocalTargetOptions { SampleTargetPath = Path.Combine(AppContext.BaseDirectory, "Yardstick.SampleTarget.dll") },
        TimeProvider.System);

    private string BaseUrl => $"http://127.0.0.1:{_port}";

    private string Url => BaseUrl + "/api/hello";

    private ProcessSpec Spec => new() { Command = "sample-target", Args = ["--urls", BaseUrl], ReadyTimeout = TimeSpan.FromSeconds(60) };

    public void Dispose()
    {
        // Kills every target process this test started (DisposeAsync completes synchronously).
        _targets.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _http.Dispose();
    }

    [Fact]
    public async Task RestartAsync_WithEnvironment_NewProcessRunsWithTheVariable()
    {
        var settle = await _targets.RestartAsync("run-a", Spec, Env("40"), Url, null, CancellationToken.None);
        var (slowInstance, slowServerMs) = await ServeAsync();

        await _targets.RestartAsync("run-a", Spec, Env("0"), Url, null, CancellationToken.None);
        var (fastInstance, fastServerMs) = await ServeAsync();

        Assert.True(settle > TimeSpan.Zero);
        Assert.NotEqual(slowInstance, fastInstance);
        // The handler awaits the extra latency before answering, so its own Server-Timing is about 40 ms at least
        // (timers here tick coarsely and may fire a few ms early against the stopwatch, hence 30); the best of five
        // requests without it is far below (a lower bound and a minimum, not a timing race).
        Assert.True(slowServerMs >= 30, $"server time {slowServerMs} ms with {Variable}=40");
        Assert.True(fastServerMs < 30, $"server time {fastServerMs} ms with {Variable}=0");
    }

    [Fact]
    public async Task EnsureRunningAsync_SameEnvironment_KeepsTheProcess_OtherEnvironment_RestartsIt()
    {
        await _targets.RestartAsync("run-b", Spec, Env("0"), Url, null, CancellationToken.None);
        var (first, _) = await ServeAsync();

        await _targets.EnsureRunningAsync("run-b", Spec, Env("0"), Url, null, CancellationToken.None);
        var (same, _) = await ServeAsync();

        await _targets.EnsureRunningAsync("run-b", Spec, Env("40"), Url, null, CancellationToken.None);
        var (restarted, serverMs) = await ServeAsync();

        Assert.Equal(first, same);
        Assert.NotEqual(first, restarted);
        Assert.True(serverMs >= 30, $"server time {serverMs} ms after switching {Variable} to 40");
    }

    [Fact]
    public async Task RestartAsync_UrlServedByAProcessItDidNotStart_IsRefusedNamingTheField()
    {
        await using var foreign = await SampleTargetHost.StartAsync(new SampleTargetOptions { Urls = BaseUrl });

        var error = await Assert.ThrowsAsync<InputException>(() => _targets.RestartAsync("run-c", Spec, Env("10"), Url, null, CancellationToken.None));

        Assert.Equal("target.process", error.Field);
        Assert.Contains("did not start", error.Message, StringComparison.Ordinal);
        Assert.Contains(Variable, error.Message, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Env(string ms) => new() { [Variable] = ms };

    /// <summary>The serving instance and the least Server-Timing of five requests.</summary>
    private async Task<(string Instance, double ServerMs)> ServeAsync()
    {
        string? instance = null;
        var best = double.MaxValue;
        for (var i = 0; i < 5; i++)
        {
            using var response = await _http.GetAsync(Url);
            response.EnsureSuccessStatusCode();
            instance = response.Headers.GetValues("x-instance-id").Single();
            var timing = response.Headers.GetValues("Server-Timing").Single();
            var dur = timing[(timing.IndexOf("dur=", StringComparison.Ordinal) + 4)..];
            best = Math.Min(best, double.Parse(dur, CultureInfo.InvariantCulture));
        }

        return (instance!, best);
    }
}
