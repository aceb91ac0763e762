using Yardstick.Core.Load.LocalTargets;
using Yardstick.Core.ServerMetrics;
using Yardstick.Core.Workloads;
using Yardstick.Testing;

namespace Yardstick.Core.Tests.ServerMetrics;

/// <summary>
/// The sampler on a real child process: the sample target started by <see cref="LocalProcessTargets"/> on a free
/// loopback port, idle and then busy with <c>/api/cpu</c> requests sent one at a time for a bounded 3 s.
/// </summary>
public sealed class ProcessSamplerTests : IDisposable
{
    private readonly int _port = TestPorts.Reserve();
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
    private readonly LocalProcessTargets _targets = new(
        new LocalTargetOptions { SampleTargetPath = Path.Combine(AppContext.BaseDirectory, "Yardstick.SampleTarget.dll") },
        TimeProvider.System);

    private string BaseUrl => $"http://127.0.0.1:{_port}";

    private ProcessSpec Spec => new() { Command = "sample-target", Args = ["--urls", BaseUrl], ReadyTimeout = TimeSpan.FromSeconds(60) };

    public void Dispose()
    {
        _targets.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _http.Dispose();
    }

    [Fact]
    public async Task GetSamples_StartedTarget_CpuRisesUnderLoad_MemoryIsPositive_OnePerSecond()
    {
        await _targets.EnsureRunningAsync("run-s", Spec, BaseUrl + "/api/hello", null, CancellationToken.None);
        var ready = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(4));

        var busyFrom = DateTimeOffset.UtcNow;
        while (DateTimeOffset.UtcNow - busyFrom < TimeSpan.FromSeconds(3))
        {
            using var response = await _http.GetAsync(BaseUrl + "/api/cpu?iterations=200000");
            response.EnsureSuccessStatusCode();
        }

        var busyTo = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        var log = _targets.GetSamples("run-s");

        // Idle: after the first second (start-up JIT), before the load. Busy: samples whose interval lies inside the load.
        var idle = log.Samples.Where(s => s.At > ready.AddSeconds(1.5) && s.At < busyFrom).Select(s => s.CpuPercent).Order().ToList();
        var busy = log.Samples.Where(s => s.At > busyFrom.AddSeconds(1) && s.At <= busyTo).Select(s => s.CpuPercent).ToList();
        Assert.NotEmpty(idle);
        Assert.NotEmpty(busy);
        var idleMedian = idle[idle.Count / 2];
        Assert.True(busy.Max() > idleMedian + 20, $"busy CPU {string.Join(", ", busy)} % vs idle median {idleMedian} %");
        Assert.All(log.Samples, s => Assert.True(s.ResidentMemoryBytes > 10 * 1024 * 1024, $"resident memory {s.ResidentMemoryBytes} B"));
        Assert.Single(log.Samples.Select(s => s.Pid).Distinct());

        // About one sample a second over the ~8 s sampled (a busy machine may skip a second), never two in one wall-clock second.
        var elapsed = (log.Samples[^1].At - ready).TotalSeconds;
        Assert.InRange(log.Samples.Count, (int)elapsed - 3, (int)elapsed + 1);
        Assert.Equal(log.Samples.Count, log.Samples.Select(s => s.At.ToUnixTimeSeconds()).Distinct().Count());
    }

    [Theory]
    [InlineData(5_600, 5, 900)] // on time: the middle of the next second
    [InlineData(5_400, 4, 100)] // before the middle of this second, which has no sample yet
    [InlineData(6_100, 6, 1_400)] // the last reading woke late into second 6: skip to the middle of second 7
    [InlineData(6_700, 5, 800)] // woke late and second 6 is past its middle: the next one ahead
    [InlineData(6_700, 9, 3_800)] // never a second that already has a sample
    public void DelayToNextMidSecond_NeverTwoSamplesInOneSecond(long nowMs, long lastSecond, int expectedMs)
    {
        var delay = ProcessSampler.DelayToNextMidSecond(nowMs, lastSecond);

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), delay);
        Assert.True((nowMs + (long)delay.TotalMilliseconds) / 1000 > lastSecond);
    }

    [Fact]
    public async Task GetSamples_AfterRestart_KeepsTheFirstProcessesSamples_StopForgetsThem()
    {
        var none = new Dictionary<string, string>();
        await _targets.RestartAsync("run-r", Spec, none, BaseUrl + "/api/hello", null, CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        await _targets.RestartAsync("run-r", Spec, none, BaseUrl + "/api/hello", null, CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(2.5));

        var log = _targets.GetSamples("run-r");
        await _targets.StopAsync("run-r", CancellationToken.None);

        Assert.Equal(2, log.Samples.Select(s => s.Pid).Distinct().Count());
        Assert.Contains("did not start", Assert.Single(_targets.GetSamples("run-r").Notes), StringComparison.Ordinal);
    }
}
