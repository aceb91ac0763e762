using Xunit.Abstractions;
using Yardstick.Core;
using Yardstick.Core.ServerMetrics;
using Yardstick.Testing;

namespace Yardstick.Cli.Tests.EndToEnd;

/// <summary>
/// The server's side of the timeline end to end on the local Durable host: a run against the sample target started
/// as <c>target.process</c> stores <c>server-metrics.json</c> with the process's CPU and resident memory once a
/// second over the measured seconds. Loopback only: 5 s at 50/s after a 1 s warm-up.
/// </summary>
public sealed class ServerMetricsRunTests(AzuriteFixture azurite, ITestOutputHelper output) : IClassFixture<AzuriteFixture>, IDisposable
{
    private readonly CliHarness _cli = new(azurite, output);

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Run_ProcessTarget_StoresServerMetrics_AboutOnePointPerMeasuredSecond()
    {
        var port = TestPorts.Reserve();
        var name = AzuriteFixture.UniqueName("servermetrics");
        var result = await _cli.RunAsync("run", _cli.WriteWorkload(name, $"""
            name: {name}
            {CliHarness.SampleTargetBlock(port)}load:
              rate: 50/s
              duration: 5s
              warmup: 1s
            """), "--no-progress");
        Assert.True(result.ExitCode == 0, result.ToString());
        var runId = CliHarness.RunIdFrom(result);

        var bytes = await _cli.Storage.Artifacts.GetAsync(name, runId, "server-metrics.json", CancellationToken.None);
        Assert.NotNull(bytes);
        var metrics = YardstickJson.Deserialize<ServerMetricSet>(bytes);
        var timeline = await _cli.ReadTimelineAsync(name, runId);

        Assert.Equal("process", metrics.Source);
        Assert.Equal(1, metrics.IntervalSeconds);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(timeline[0].UnixSecond), metrics.From);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(timeline[^1].UnixSecond + 1), metrics.To);
        var seconds = (int)(metrics.To - metrics.From).TotalSeconds;
        var cpu = metrics.Find(ServerMetricSeries.CpuPercent)!;
        var memory = metrics.Find(ServerMetricSeries.ResidentMemoryMB)!;
        // One point per measured second, less any second the (shared, 2-core) machine's scheduler made the sampler
        // miss, and those are listed as gaps: points and gap seconds add up to the window exactly.
        Assert.InRange(cpu.Points.Count, seconds - 1, seconds);
        Assert.Equal(seconds, cpu.Points.Count + metrics.Gaps.Sum(g => g.Seconds));
        Assert.Equal(cpu.Points.Count, memory.Points.Count);
        Assert.All(cpu.Points, p => Assert.InRange(p.At, metrics.From, metrics.To));
        Assert.All(memory.Points, p => Assert.True(p.Value > 10, $"resident memory {p.Value} MB"));
        Assert.True(cpu.Peak > 0, "the target served 50 requests a second without using any CPU");
        Assert.Equal("MB", memory.Unit);

        // The analysis rendered the reports from it: report.md's Server line, report.html's chart with every point.
        var md = System.Text.Encoding.UTF8.GetString((await _cli.Storage.Artifacts.GetAsync(name, runId, "report.md", CancellationToken.None))!);
        Assert.Contains($"- **Server** process, every 1 s: {cpu.Points.Count} of {seconds} seconds sampled", md, StringComparison.Ordinal);
        var html = System.Text.Encoding.UTF8.GetString((await _cli.Storage.Artifacts.GetAsync(name, runId, "report.html", CancellationToken.None))!);
        Assert.Contains($"data-chart=\"server\" data-points=\"{cpu.Points.Count}\"", html, StringComparison.Ordinal);
    }
}
