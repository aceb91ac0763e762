using System.Net;
using System.Net.Sockets;
using Xunit.Abstractions;
using Yardstick.Core;
using Yardstick.Core.Measurements;
using Yardstick.Orchestration.Activities;
using Yardstick.Testing;

namespace Yardstick.Cli.Tests.EndToEnd;

/// <summary>
/// `process` cold starts end to end on the local Durable host: each probe starts the sample target fresh with a
/// simulated 800 ms initialization, then the (tiny) load phase starts its own long-running target on the same port.
/// </summary>
public sealed class ColdStartRunTests(AzuriteFixture azurite, ITestOutputHelper output) : IClassFixture<AzuriteFixture>, IDisposable
{
    private const int InitDelayMs = 800;
    private readonly CliHarness _cli = new(azurite, output);

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Run_ProcessColdStarts_EveryProbeColdOnANewInstance_ColdP50AboveInitDelayAndWarm()
    {
        var port = TestPorts.Reserve();
        var name = AzuriteFixture.UniqueName("coldstart");
        var file = _cli.WriteWorkload(name, $"""
            name: {name}
            target:
              url: http://127.0.0.1:{port}/api/hello
              process:
                command: sample-target
                args: ["--urls", "http://127.0.0.1:{port}", "--init-delay-ms", "{InitDelayMs}"]
                readyTimeout: 30s
            coldStart:
              strategy: process
              probes: 3
              warmRequests: 3
              probeTimeout: 30s
            load:
              rate: 20/s
              duration: 1s
            cost:
              plan: flexConsumption
              region: eastus
              instanceMemoryMB: 2048
            """);

        var result = await _cli.RunAsync("run", file, "--no-progress");

        Assert.True(result.ExitCode == 0, result.ToString());
        var runId = CliHarness.RunIdFrom(result);
        var summary = await _cli.ReadSummaryAsync(name, runId);
        var cold = summary.ColdStart;
        Assert.NotNull(cold);
        foreach (var probe in cold.Probes)
        {
            output.WriteLine($"probe {probe.Index}: {probe.Classification} instance {probe.InstanceId} first success {probe.TimeToFirstSuccessMs:0.0} ms (connect {probe.ConnectMs:0.00}, ttfb {probe.FirstByteMs:0.00}, server {probe.ServerMs:0.000}, total {probe.TotalMs:0.00}); warm [{string.Join(", ", probe.WarmMs.Select(w => w.ToString("0.00")))}]");
        }

        output.WriteLine($"cold p50 {cold.ColdP50Ms:0.0} ms, p90 {cold.ColdP90Ms:0.0}, max {cold.ColdMaxMs:0.0}; warm p50 {cold.WarmP50Ms:0.00} ms; penalty {cold.PenaltyMs:0.0} ms");

        // Every fresh process presents a new instance id: all three probes cold, none excluded.
        Assert.Equal("process", cold.Strategy);
        Assert.Equal(3, cold.Probes.Count);
        Assert.Equal(3, cold.Cold);
        Assert.Equal(0, cold.Excluded);
        Assert.All(cold.Probes, p => Assert.Equal("cold", p.Classification));
        var probeInstances = cold.Probes.Select(p => p.InstanceId!).ToList();
        Assert.Equal(3, probeInstances.Distinct().Count());
        Assert.All(cold.Probes, p => Assert.Equal(3, p.WarmMs.Count));

        // The simulated initialization happens before the process listens, so the time to first success includes it.
        Assert.True(cold.ColdP50Ms >= InitDelayMs, $"cold p50 {cold.ColdP50Ms} ms < {InitDelayMs} ms");
        Assert.True(cold.ColdP50Ms > cold.WarmP50Ms, $"cold p50 {cold.ColdP50Ms} ms is not above warm p50 {cold.WarmP50Ms} ms");
        Assert.Equal((cold.ColdP50Ms - cold.WarmP50Ms)!.Value, cold.PenaltyMs!.Value, 6);

        var storage = _cli.Storage;
        var probesBlob = await storage.Artifacts.GetAsync(name, runId, SummarizeColdStartsActivity.ProbesBlobName, CancellationToken.None);
        Assert.NotNull(probesBlob);
        var document = YardstickJson.Deserialize<ProbesDocument>(probesBlob);
        Assert.Equal(3, document.Probes.Count);

        // No probe process was left listening: the load phase started its own target, a new instance.
        var instances = YardstickJson.Deserialize<List<InstanceUsage>>((await storage.Artifacts.GetAsync(name, runId, "instances.json", CancellationToken.None))!);
        var loadInstance = Assert.Single(instances);
        Assert.DoesNotContain(loadInstance.InstanceId, probeInstances);
        Assert.Equal(20, summary.Requests);

        // Modeled cost from the load engine's instance busy time (Flex: one instance, ≥ 1,000 ms billed).
        var cost = summary.Cost;
        Assert.NotNull(cost);
        Assert.Equal("modeled", cost.Source);
        Assert.Null(cost.Metered);
        Assert.True(cost.PerRequestUsd > 0);
        Assert.Equal(cost.PerRequestUsd!.Value * 1_000_000, cost.Per1MRequestsUsd!.Value, 9);
        Assert.Contains(cost.Modeled!.Lines, l => l.Meter == "onDemandExecutionTime" && l.Quantity >= 2.0); // ≥ 1 s × 2 GB
        Assert.Contains(cost.Notes, n => n.Contains("metered cost: not read", StringComparison.Ordinal));
        Assert.Null(cost.BenchmarkCostUsd);

        Assert.Contains("cold p50 / warm p50", result.Out, StringComparison.Ordinal);
        Assert.Contains("cost per 1M requests", result.Out, StringComparison.Ordinal);
        Assert.False(await IsListeningAsync(port), "the target's port is still in use after the run");
    }

    [Fact]
    public async Task Run_IdleEvictionCurve_WarmWithinTheRecycleTime_ColdAfterIt()
    {
        // The sample target drops its instance after 1.5 s without a request and pays 300 ms to start a new one. Idle
        // times far on either side (300 ms, 4 s) so the machine's speed cannot flip an outcome; two probes each.
        const int RecycleInitMs = 300;
        var port = TestPorts.Reserve();
        var name = AzuriteFixture.UniqueName("eviction");
        var file = _cli.WriteWorkload(name, $"name: {name}\n" + CliHarness.SampleTargetBlock(port, "--idle-recycle-ms", "1500", "--init-delay-ms", $"{RecycleInitMs}") + """
            coldStart:
              strategy: idle
              idleTimes: [300ms, 4s]
              probes: 2
              warmRequests: 2
              probeTimeout: 30s
            load:
              rate: 20/s
              duration: 1s
            """);

        var result = await _cli.RunAsync("run", file, "--no-progress");

        Assert.True(result.ExitCode == 0, result.ToString());
        var summary = await _cli.ReadSummaryAsync(name, CliHarness.RunIdFrom(result));
        var cold = summary.ColdStart!;
        foreach (var probe in cold.Probes)
        {
            output.WriteLine($"probe {probe.Index}: idle {probe.IdleSeconds} s → {probe.Classification} on {probe.InstanceId}, first {probe.TimeToFirstSuccessMs:0.0} ms; {probe.Note}");
        }

        Assert.Equal("idle", cold.Strategy);
        Assert.Equal([0.3, 4, 0.3, 4], cold.Probes.Select(p => p.IdleSeconds!.Value));
        Assert.Equal(["warm", "cold", "warm", "cold"], cold.Probes.Select(p => p.Classification));
        var curve = cold.Curve!;
        Assert.Equal([(0.3, 0, 2), (4.0, 2, 0)], curve.Select(p => (p.IdleSeconds, p.Cold, p.Warm)));

        // A cold probe paid the simulated start of a new instance; a warm one did not.
        Assert.True(curve[1].ColdP50Ms >= RecycleInitMs, $"cold p50 after 4 s idle {curve[1].ColdP50Ms} ms < {RecycleInitMs} ms");
        Assert.True(curve[0].FirstP50Ms < RecycleInitMs, $"first request after 300 ms idle {curve[0].FirstP50Ms} ms");
        Assert.Contains("after 300ms idle", result.Out, StringComparison.Ordinal);
        Assert.Contains("0 of 2 cold (0 %, 95 % CI 0–66 %)", result.Out, StringComparison.Ordinal);
        Assert.Contains("2 of 2 cold (100 %, 95 % CI 34–100 %)", result.Out, StringComparison.Ordinal);
        Assert.Equal(20, summary.Requests);
        Assert.False(await IsListeningAsync(port), "the target's port is still in use after the run");
    }

    private static async Task<bool> IsListeningAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
