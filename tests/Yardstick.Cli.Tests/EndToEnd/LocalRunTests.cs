using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;
using Yardstick.Cli.Hosting;
using Yardstick.Core;
using Yardstick.Core.Measurements;
using Yardstick.Core.Summaries;
using Yardstick.Core.Runs;
using Yardstick.SampleTarget;
using Yardstick.Storage;
using Yardstick.Testing;

namespace Yardstick.Cli.Tests.EndToEnd;

/// <summary>
/// `yardstick run` end to end on the local host: the real Durable Task engine (Azure Storage backend) over Azurite,
/// real HTTP against the sample target on loopback.
/// </summary>
public sealed class LocalRunTests(AzuriteFixture azurite, ITestOutputHelper output) : SampleTargetCliTests(azurite, output)
{
    [Fact]
    public async Task Run_AgainstSampleTarget_StoresRowAndBlobs_AndCountsAgree()
    {
        var name = AzuriteFixture.UniqueName("e2e");
        var file = Cli.WriteWorkload(name, $"""
            name: {name}
            target:
              url: {Target.BaseUrl}/api/hello
            load:
              rate: 100/s
              duration: 3s
              warmup: 1s
              shards: 3
            tags:
              commit: abc123
            """);
        var json = Cli.PathOf("summary-out.json");

        var result = await Cli.RunAsync("run", file, "--json", json, "--no-progress", "--tag", "pipeline=e2e");

        Assert.True(result.ExitCode == 0, result.ToString());
        var runId = CliHarness.RunIdFrom(result);
        var storage = Cli.Storage;

        var row = await storage.Runs.GetAsync(runId, CancellationToken.None);
        Assert.NotNull(row);
        Assert.Equal(RunStatus.Completed, row.Status);
        Assert.Equal(name, row.Workload);
        Assert.Equal(3, row.ShardsSucceeded);
        Assert.Equal("abc123", row.Tags["commit"]);
        Assert.Equal("e2e", row.Tags["pipeline"]);

        var blobs = await storage.Artifacts.ListAsync(name, runId, "", CancellationToken.None);
        foreach (var expected in new[] { "plan.json", "workload.yaml", "summary.json", "timeline.json", "histograms/latency.hdr", "shards/warmup/r00/s000.json" })
        {
            Assert.Contains(expected, blobs);
        }

        var measured = blobs.Where(b => b.StartsWith("shards/measured/", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, measured.Count);
        // 100/s for 3 s is exactly 300 arrivals, split 100/100/100 over three shards.
        var (shards, summary) = await Cli.AssertCountsAgreeAsync(name, runId, 300);
        Assert.All(shards, s => Assert.Equal(100, s.Requests));
        Assert.Equal("completed", summary.Status);
        Assert.NotNull(summary.Storage);

        var written = YardstickJson.Deserialize<RunSummary>(await File.ReadAllBytesAsync(json));
        Assert.Equal(runId, written.RunId);
        Assert.True(written.LatencyMs.P99 > 0);
        Assert.Equal(summary.Storage!.Artifacts, written.Storage!.Artifacts);

        var history = await Cli.RunAsync("history", name);
        Assert.Equal(0, history.ExitCode);
        Assert.Contains(runId, history.Out);

        var show = await Cli.RunAsync("show", runId);
        Assert.Equal(0, show.ExitCode);
        Assert.Contains("completed", show.Out);
    }

    [Fact]
    public async Task Run_TargetRefusesConnections_ShardsRetriedPerPolicy_RunFailsByMinShardSuccess()
    {
        var name = AzuriteFixture.UniqueName("refused");
        var file = Cli.WriteWorkload(name, $"""
            name: {name}
            target:
              url: http://127.0.0.1:{TestPorts.Closed()}/api/hello
            load:
              rate: 20/s
              duration: 1s
              shards: 2
              minShardSuccess: 0.5
            """);

        var result = await Cli.RunAsync("run", file, "--no-progress");

        Assert.Equal(3, result.ExitCode);
        var runId = CliHarness.RunIdFrom(result);
        var row = await Cli.Storage.Runs.GetAsync(runId, CancellationToken.None);
        Assert.Equal(RunStatus.Failed, row!.Status);
        Assert.Contains("0 of 2 shards succeeded", row.FailureReason, StringComparison.Ordinal);
        Assert.Contains("connect", row.FailureReason, StringComparison.OrdinalIgnoreCase);

        // The retry policy (3 attempts) shows in the orchestration history: each shard was scheduled three times.
        await using var hub = await LocalDurableHost.StartAsync(
            new LocalHubSettings { Storage = StorageConnection.Parse(Cli.ConnectionString), TaskHubName = Cli.TaskHub },
            services: null!,
            NullLoggerFactory.Instance,
            runWorker: false);
        var state = await hub.GetStateAsync(runId);
        var history = await hub.Client.GetOrchestrationHistoryAsync(state!.OrchestrationInstance);
        var scheduled = CountShardSchedules(history);
        Output.WriteLine($"shard activities scheduled: {scheduled}");
        Assert.Equal(6, scheduled);
    }

    private static int CountShardSchedules(string historyJson)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(historyJson);
        return doc.RootElement.EnumerateArray().Count(e =>
            e.TryGetProperty("Name", out var n) && n.GetString() == "RunLoadShardActivity"
            && e.TryGetProperty("EventType", out var t) && (t.ValueKind == System.Text.Json.JsonValueKind.Number ? t.GetInt32() == 4 : t.GetString() == "TaskScheduled"));
    }
}
