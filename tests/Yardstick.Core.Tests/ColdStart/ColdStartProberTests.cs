using System.Diagnostics;
using Yardstick.Core.ColdStart;
using Yardstick.Core.Load;
using Yardstick.Core.Load.Transports;
using Yardstick.SampleTarget;
using Yardstick.Testing;

namespace Yardstick.Core.Tests.ColdStart;

/// <summary>The prober against the real sample target on loopback (a few requests each).</summary>
public sealed class ColdStartProberTests
{
    private static readonly ProbeOptions Options = new() { Timeout = TimeSpan.FromSeconds(30), WarmRequests = 2 };

    [Fact]
    public async Task ProbeAsync_TargetListensOnlyAfterItsInitDelay_TimeToFirstSuccessCoversTheWait()
    {
        const int initDelayMs = 300;
        var port = TestPorts.Reserve();
        var started = Stopwatch.GetTimestamp();
        var probing = ColdStartProber.ProbeAsync(Request(port), new TransportOptions(), Options, 0, DateTimeOffset.UnixEpoch, started, null, TimeProvider.System, CancellationToken.None);
        await using var target = await SampleTargetHost.StartAsync(new SampleTargetOptions { Urls = $"http://127.0.0.1:{port}", InitDelayMs = initDelayMs });

        var probe = await probing;

        Assert.Null(probe.Failure);
        Assert.True(probe.TimeToFirstSuccessMs >= initDelayMs, $"first success after {probe.TimeToFirstSuccessMs} ms");
        Assert.True(probe.Attempts > 1, "the first attempts should have been refused while the target initialized");
        Assert.Equal(target.InstanceId, probe.InstanceId);
        Assert.NotNull(probe.First!.ConnectMs); // a fresh connection per attempt
        Assert.NotNull(probe.First.ServerMs); // Server-Timing
        Assert.True(probe.First.TotalMs >= probe.First.FirstByteMs);
        Assert.Equal(2, probe.Warm.Count);
        Assert.All(probe.Warm, w => Assert.Equal(target.InstanceId, w.InstanceId));
        Assert.All(probe.Warm, w => Assert.NotNull(w.ConnectMs));
    }

    [Fact]
    public async Task ProbeAsync_NothingEverListens_FailsAfterTheTimeoutSayingWhy()
    {
        // 2 s, not less: the probe's timeout also bounds each attempt, and on a busy runner a first attempt (JIT, connect)
        // once took over 300 ms, so it ended as a timeout before the refused connection could be seen (run 1 of 5, CI=true).
        var options = Options with { Timeout = TimeSpan.FromSeconds(2) };

        var probe = await ColdStartProber.ProbeAsync(Request(TestPorts.Closed()), new TransportOptions(), options, 3, DateTimeOffset.UnixEpoch, Stopwatch.GetTimestamp(), null, TimeProvider.System, CancellationToken.None);

        Assert.Null(probe.First);
        Assert.Equal(3, probe.Index);
        Assert.Contains("no successful response", probe.Failure, StringComparison.Ordinal);
        Assert.Contains("ConnectFailed", probe.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProbeAsync_AbortReason_EndsTheProbeWithIt()
    {
        var probe = await ColdStartProber.ProbeAsync(Request(TestPorts.Closed()), new TransportOptions(), Options, 0, DateTimeOffset.UnixEpoch, Stopwatch.GetTimestamp(), () => "the target process exited with code 1", TimeProvider.System, CancellationToken.None);

        Assert.Equal("the target process exited with code 1", probe.Failure);
        Assert.Equal(0, probe.Attempts);
    }

    private static RequestTemplate Request(int port) => new() { Method = "GET", Url = $"http://127.0.0.1:{port}/api/hello" };
}
